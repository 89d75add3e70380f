-- Refunds are separate payment rows, so an order's total must never be negative.
select
    order_id,
    amount
from {{ ref('orders') }}
where amount < 0
