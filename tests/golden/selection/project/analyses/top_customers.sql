select customer_id, sum(order_amount) as total
from {{ ref('fct_orders') }}
group by customer_id
order by total desc
limit 10
