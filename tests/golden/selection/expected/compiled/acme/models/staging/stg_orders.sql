select
    id as order_id,
    customer_id,
    product_id,
    quantity,
    cast(ordered_at as date) as order_date
from erp_raw.orders