select id as order_id, status
from raw.orders
