

with __dbt__cte__int_order_lines as (


select
    o.order_id,
    o.customer_id,
    o.order_date,
    o.quantity * p.unit_price as line_amount
from analytics.stg_orders as o
join analytics.stg_products as p on o.product_id = p.product_id
) select
    order_id,
    customer_id,
    order_date,
    sum(line_amount) as order_amount
from __dbt__cte__int_order_lines

group by order_id, customer_id, order_date