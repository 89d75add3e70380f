select
    {{ dbt.dateadd('day', 7, 'signed_up_at') }} as due_at,
    {{ dbt.dateadd('week', '-2', 'signed_up_at') }} as two_weeks_before,
    {{ dbt.dateadd('quarter', 1, "'2024-01-31'") }} as next_quarter,
    {{ dbt.dateadd('minute', 90, 'signed_up_at') }} as ninety_minutes_later,
    {{ dbt.last_day('signed_up_at', 'month') }} as month_end,
{%- for part in ['day', 'week', 'month', 'quarter', 'year', 'hour', 'millisecond', 'microsecond'] %}
    {{ dbt.datediff('signed_up_at', 'current_timestamp()', part) }} as {{ part }}s_since_signup{{ ',' if not loop.last }}
{%- endfor %}
from {{ ref('customers_raw') }}
