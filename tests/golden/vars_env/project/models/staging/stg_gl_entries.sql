select
    entry_id,
    account_id,
    cast(posted_at as date) as posted_date,
    amount,
    currency
from {{ source('erp', 'gl_entries') }}
where account_id not in ({{ "'" ~ var('excluded_accounts') | join("', '") ~ "'" }})
{% if target.name != 'prod' -%}
  and posted_at >= date_sub(current_date(), {{ var('ledger_lookback_days') }})
{%- endif %}
