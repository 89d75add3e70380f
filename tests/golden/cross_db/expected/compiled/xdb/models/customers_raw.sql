select
    1 as customer_id, 'Ada' as first_name, 'Lovelace' as last_name,
    'ada@example.com' as email, 'London, UK' as address, 'N1 9GU' as postal_code,
    '+44-20-0000' as phone, cast('0.5' as float) as signup_score,
    true as is_active, cast('2020-03-01 10:00:00' as timestamp) as signed_up_at,
    'd52bd4579d2f8ce5b839ee2e757cf71c' as fixture_id