select
    order_id,
    {{ dbt.datediff('ordered_at', 'shipped_at', 'day') }} as days_to_ship
from raw.orders
