select id as customer_id, name
from raw.customers
