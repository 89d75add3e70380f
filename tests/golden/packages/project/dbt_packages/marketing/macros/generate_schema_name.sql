{#- The package names its own schemas: dbt uses a package's generate_schema_name for
    that package's nodes, whatever the root project defines. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ target.schema }}_mkt{% if custom_schema_name is not none %}_{{ custom_schema_name | trim }}{% endif %}
{%- endmacro %}
