select
    1 as customer_id, 'Ada' as first_name, 'Lovelace' as last_name,
    'ada@example.com' as email, 'London, UK' as address, 'N1 9GU' as postal_code,
    '+44-20-0000' as phone, cast('0.5' as {{ dbt.type_float() }}) as signup_score,
    true as is_active, cast('2020-03-01 10:00:00' as {{ dbt.type_timestamp() }}) as signed_up_at,
    '{{ local_md5("customers_raw" ~ 1) }}' as fixture_id
