{{ config(materialized='table') }}
select
    cast(customer_id as {{ dbt.type_bigint() }}) as customer_id,
    {{ dbt.concat(['first_name', "' '", 'last_name']) }} as full_name,
    {{ dbt.hash('email') }} as email_key,
    {{ dbt.split_part('email', "'@'", 2) }} as email_domain,
    {{ dbt.split_part('address', "','", -1) }} as country,
    {{ dbt.right('postal_code', 3) }} as postal_suffix,
    {{ dbt.position("'+'", 'phone') }} as plus_at,
    {{ dbt.length('last_name') }} as last_name_length,
    {{ dbt.replace('phone', "'-'", "''") }} as phone_digits,
    {{ dbt.safe_cast('signup_score', dbt.type_numeric()) }} as signup_score,
    {{ dbt.safe_cast("'array(1, 2)'", 'array<int>') }} as default_segments,
    {{ dbt.cast_bool_to_text('is_active') }} as is_active_text,
    {{ dbt.date_trunc('month', 'signed_up_at') }} as signup_month,
    {{ dbt.date(2020, 2, 29) }} as program_start,
    '{{ dbt.escape_single_quotes("O'Brien's") }}' as sample_name,
    {{ dbt.string_literal('web') }} as channel,
    cast(null as {{ type_timestamp() }}) as deleted_at,
    {{ dbt.current_timestamp() }} as loaded_at,
    {{ dbt.dateadd('day', 30, 'signed_up_at') }} as trial_ends_at,
    {{ dbt.datediff('signed_up_at', 'current_date()', 'day') }} as days_since_signup
from {{ ref('customers_raw') }}
