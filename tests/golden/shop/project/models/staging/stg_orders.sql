select
    id as order_id,
    user_id as customer_id,
    cast(order_date as date) as order_date,
    status,
    _etl_loaded_at
from {{ source('raw_shop', 'orders') }}
where id is not null
