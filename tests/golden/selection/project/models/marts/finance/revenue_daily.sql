select
    order_date,
    sum(order_amount) as revenue
from {{ ref('fct_orders') }}
group by order_date
