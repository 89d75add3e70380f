-- Refunds are separate payment rows, so an order's total must never be negative.
select
    order_id,
    amount
from analytics_marts.orders
where amount < 0