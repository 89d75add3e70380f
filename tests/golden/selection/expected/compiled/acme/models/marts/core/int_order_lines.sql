

select
    o.order_id,
    o.customer_id,
    o.order_date,
    o.quantity * p.unit_price as line_amount
from analytics.stg_orders as o
join analytics.stg_products as p on o.product_id = p.product_id