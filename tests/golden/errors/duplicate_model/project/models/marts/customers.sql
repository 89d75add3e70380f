select customer_id, name, count(*) as orders
from raw.orders
group by customer_id, name
