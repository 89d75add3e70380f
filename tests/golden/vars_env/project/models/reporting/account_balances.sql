{{ config(tags=[var('run_label', 'adhoc')]) }}

select
    a.account_id,
    a.account_name,
    p.fiscal_year,
    sum(e.amount) as balance,
    '{{ var("reporting_currency") }}' as currency,
    '{{ env_var("BATCH_ID") }}' as batch_id,
    '{{ var("run_label", "adhoc") }}' as run_label,
    '{{ this }}' as built_relation,
    '{{ target.name }}/{{ target.schema }}' as built_by
from {{ ref('stg_gl_entries') }} as e
join {{ ref('stg_accounts') }} as a on e.account_id = a.account_id
join {{ ref('fiscal_periods') }} as p on e.posted_date = p.posted_date
group by a.account_id, a.account_name, p.fiscal_year
{% if not var('include_zero_balances', false) -%}
having sum(e.amount) <> 0
{%- endif %}
