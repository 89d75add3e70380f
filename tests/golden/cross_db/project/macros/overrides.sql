{# the root project's spark__hash wins over dbt's: sha2 instead of md5 #}
{% macro spark__hash(field) -%}
    sha2(cast({{ field }} as {{ dbt.type_string() }}), 256)
{%- endmacro %}

