{%- set existing = load_relation(this) -%}
{%- set legacy = adapter.get_relation(this.database, this.schema, 'orders_legacy') -%}
{%- set archive = adapter.get_relation(database=none, schema='archive', identifier='orders_2019') -%}
-- this: {{ 'exists as a ' ~ existing.type ~ ' (' ~ existing ~ ')' if existing is not none else 'not built yet' }}
-- legacy: {{ legacy if legacy is not none else 'none' }}{{ ', a view' if legacy is not none and legacy.is_view }}
-- archive: {{ archive if archive is not none else 'none' }}
select order_id, status from {{ source('app', 'orders') }}
{% if legacy is not none -%}
union all
select order_id, status from {{ legacy }}
{%- endif %}
