{% macro date_spine(start_date, end_date, datepart='day') -%}
    {{ return(adapter.dispatch('date_spine', 'myutils')(start_date, end_date, datepart)) }}
{%- endmacro %}

{% macro default__date_spine(start_date, end_date, datepart) %}
    select explode(sequence(
        to_date('{{ start_date }}'),
        to_date('{{ end_date }}'),
        interval 1 {{ datepart }}
    )) as date_{{ datepart }}
{% endmacro %}
