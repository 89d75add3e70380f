{% test sums_match(model, column_name, other, other_column) %}
with mine as (
    select sum({{ column_name }}) as total from {{ model }}
), theirs as (
    select sum({{ other_column }}) as total from {{ other }}
)
select * from mine cross join theirs where mine.total != theirs.total
{% endtest %}

{% macro owner_comment() -%}
-- rendered for {{ model.resource_type }} {{ model.name }}
{%- endmacro %}
