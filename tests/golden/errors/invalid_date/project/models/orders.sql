select
    order_id,
    {{ dbt.date(2023, 2, 29) }} as fiscal_start
from raw.orders
