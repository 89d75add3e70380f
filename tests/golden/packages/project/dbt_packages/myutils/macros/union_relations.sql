{% macro union_relations(relations, source_column_name='_dbt_source_relation') -%}
    {{ return(adapter.dispatch('union_relations', 'myutils')(relations, source_column_name)) }}
{%- endmacro %}

{% macro default__union_relations(relations, source_column_name) -%}
    {%- for relation in relations %}
select
    cast('{{ relation }}' as string) as {{ source_column_name }},
    *
from {{ relation }}
{% if not loop.last %}
union all
{% endif -%}
    {%- endfor %}
{%- endmacro %}
