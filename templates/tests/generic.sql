{#- gluec's library: the built-in generic data tests. Each test dispatches to its SQL
    macro (glue__ first, then default__), so a project or package can override either
    the dispatched macro or the whole test. The blank lines of these macros are part
    of the compiled SQL dbt writes, and the golden files pin them. -#}

{% test unique(model, column_name) %}
    {% set test_sql = adapter.dispatch('test_unique', 'dbt') %}
    {{ test_sql(model, column_name) }}
{% endtest %}

{% test not_null(model, column_name) %}
    {% set test_sql = adapter.dispatch('test_not_null', 'dbt') %}
    {{ test_sql(model, column_name) }}
{% endtest %}

{% test accepted_values(model, column_name, values, quote=True) %}
    {% set test_sql = adapter.dispatch('test_accepted_values', 'dbt') %}
    {{ test_sql(model, column_name, values, quote) }}
{% endtest %}

{% test relationships(model, column_name, to, field) %}
    {% set test_sql = adapter.dispatch('test_relationships', 'dbt') %}
    {{ test_sql(model, column_name, to, field) }}
{% endtest %}

{#- Rows whose column repeats. -#}
{% macro default__test_unique(model, column_name) %}

select
    {{ column_name }} as unique_field,
    count(*) as n_records

from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1

{% endmacro %}

{#- Rows whose column is null; all their columns when failures are stored. -#}
{% macro default__test_not_null(model, column_name) %}

{% set selected = '*' if should_store_failures() else column_name %}

select {{ selected }}
from {{ model }}
where {{ column_name }} is null

{% endmacro %}

{#- dbt-glue's accepted_values: a subquery instead of a CTE; values joined by ','. -#}
{% macro glue__test_accepted_values(model, column_name, values, quote=True) %}
select *
from (
    select
        {{ column_name }} as value_field,
        count(*) as n_records

    from {{ model }}
    group by {{ column_name }}
) all_values
where value_field not in (
    {% for v in values -%}
        {% if quote -%}'{{ v }}'{%- else -%}{{ v }}{%- endif -%}
        {%- if not loop.last -%},{%- endif %}
    {%- endfor %}
)

{% endmacro %}

{#- dbt-glue's relationships: child rows whose key has no parent row. -#}
{% macro glue__test_relationships(model, column_name, to, field) %}
select
    from_field

from (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
) child
left join (
    select {{ field }} as to_field
    from {{ to }}
) parent
on child.from_field = parent.to_field

where parent.to_field is null

{% endmacro %}

{#- The relation a test reads: the model, or a filtered subquery with `where`. -#}
{% macro get_where_subquery(relation) -%}
    {% do return(adapter.dispatch('get_where_subquery', 'dbt')(relation)) %}
{%- endmacro %}

{% macro default__get_where_subquery(relation) -%}
    {% set where = config.get('where', '') %}
    {% if where %}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {% do return(filtered) %}
    {%- else -%}
        {% do return(relation) %}
    {%- endif -%}
{%- endmacro %}

{#- Whether a test keeps its failing rows: its store_failures config, else the flag. -#}
{% macro should_store_failures() %}
    {% set value = config.get('store_failures') %}
    {% if value is none %}
        {% set value = flags.STORE_FAILURES %}
    {% endif %}
    {% do return(value) %}
{% endmacro %}
