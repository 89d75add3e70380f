{{ config(tags=['payments']) }}

select
    id as payment_id,
    order_id,
    payment_method,
    {{ cents_to_dollars('amount') }} as amount,
    {{ cents_to_dollars('fee', scale=4) }} as fee
from {{ source('raw_shop', 'payments') }}
where amount >= {{ var('min_payment_cents') }}
