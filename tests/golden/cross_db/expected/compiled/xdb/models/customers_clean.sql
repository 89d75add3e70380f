
select
    cast(customer_id as bigint) as customer_id,
    concat(first_name, ' ', last_name) as full_name,
    sha2(cast(email as string), 256) as email_key,
    split(email, case when regexp_extract('@', '([^A-Za-z0-9])(.*)', 1) != '_' then concat('\\', '@') else '@' end)[(1)] as email_domain,
    split(address, case when regexp_extract(',', '([^A-Za-z0-9])(.*)', 1) != '_' then concat('\\', ',') else ',' end)[(length(address) - length(replace(address, ',', '')) + 1 + -1)] as country,
    right(postal_code, 3) as postal_suffix,
    position('+' in phone) as plus_at,
    length(last_name) as last_name_length,
    replace(phone, '-', '') as phone_digits,
    cast(signup_score as decimal(28,6)) as signup_score,
    cast(array(1, 2) as array<int>) as default_segments,
    cast(is_active as string) as is_active_text,
    date_trunc('month', signed_up_at) as signup_month,
    to_date('2020-02-29', 'yyyy-MM-dd') as program_start,
    'O\'Brien\'s' as sample_name,
    'web' as channel,
    cast(null as timestamp) as deleted_at,
    current_timestamp() as loaded_at,
    to_timestamp(to_unix_timestamp(date_add(coalesce(date(signed_up_at), nvl2(date(signed_up_at), assert_true(date(signed_up_at) is not null), null)), cast(30 * 1 as int))) + to_unix_timestamp(coalesce(to_timestamp(signed_up_at), nvl2(to_timestamp(signed_up_at), assert_true(to_timestamp(signed_up_at) is not null), null))) - to_unix_timestamp(coalesce(date(signed_up_at), nvl2(date(signed_up_at), assert_true(date(signed_up_at) is not null), null)))) as trial_ends_at,
    datediff(coalesce(date(current_date()), nvl2(date(current_date()), assert_true(date(current_date()) is not null), null)), coalesce(date(signed_up_at), nvl2(date(signed_up_at), assert_true(date(signed_up_at) is not null), null))) as days_since_signup
from analytics.customers_raw