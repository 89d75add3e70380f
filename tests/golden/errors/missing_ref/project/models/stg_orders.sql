select id as order_id, status, amount, order_date
from raw.orders
