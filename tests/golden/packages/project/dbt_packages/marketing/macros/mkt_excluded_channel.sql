{% macro mkt_excluded_channel() -%}
    internal
{%- endmacro %}
