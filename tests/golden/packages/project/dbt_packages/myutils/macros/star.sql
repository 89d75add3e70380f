{#- Lists a relation's columns, minus `except`; the columns come from the catalog. -#}
{% macro star(from, except=[], relation_alias=none) -%}
    {{ return(adapter.dispatch('star', 'myutils')(from, except, relation_alias)) }}
{%- endmacro %}

{% macro default__star(from, except=[], relation_alias=none) -%}
    {%- if not execute -%}
        {{ return('*') }}
    {%- endif -%}
    {%- set excluded = except | map('lower') | list -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(from) -%}
        {%- if column.name | lower not in excluded -%}
            {%- do names.append((relation_alias ~ '.' if relation_alias else '') ~ column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ names | join(',\n    ') }}
{%- endmacro %}
