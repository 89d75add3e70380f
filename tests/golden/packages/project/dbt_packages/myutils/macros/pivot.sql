{% macro pivot(column, values, agg='sum', then_value=1, else_value=0, prefix='', suffix='') -%}
    {{ return(adapter.dispatch('pivot', 'myutils')(column, values, agg, then_value, else_value, prefix, suffix)) }}
{%- endmacro %}

{% macro default__pivot(column, values, agg, then_value, else_value, prefix, suffix) -%}
    {% for value in values -%}
    {{ agg }}(case when {{ column }} = '{{ value }}' then {{ then_value }} else {{ else_value }} end) as {{ prefix ~ value ~ suffix }}
    {%- if not loop.last %},
    {% endif -%}
    {%- endfor %}
{%- endmacro %}
