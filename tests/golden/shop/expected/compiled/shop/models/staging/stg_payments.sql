

select
    id as payment_id,
    order_id,
    payment_method,
    round(cast(amount as double) / 100, 2) as amount,
    round(cast(fee as double) / 100, 4) as fee
from raw.raw_payments
where amount >= 50