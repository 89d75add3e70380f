select
    order_date,
    sum(order_amount) as revenue
from analytics.fct_orders
group by order_date