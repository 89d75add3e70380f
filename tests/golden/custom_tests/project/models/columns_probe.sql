{%- set rel = ref('balances') -%}
{%- set cols = adapter.get_columns_in_relation(rel) -%}
-- relation is a mapping: {{ rel is mapping }}, metadata type: {{ rel.get('metadata', {}).get('type', '') }}, schema: {{ rel.get('schema') }}
{%- for c in cols %}
-- {{ c }} quoted {{ c.quoted }} string {{ c.is_string() }} number {{ c.is_number() }} integer {{ c.is_integer() }} numeric {{ c.is_numeric() }} literal {{ c.literal("'1'") }}
{%- endfor %}
{%- if execute %}
-- expandable: {{ cols[1].can_expand_to(cols[1]) }} / {{ cols[0].can_expand_to(cols[1]) }}, note size {{ cols[1].string_size() }}
{%- endif %}
select {% for c in cols %}{{ c.quoted }}{{ ', ' if not loop.last }}{% endfor %} from {{ rel }}
