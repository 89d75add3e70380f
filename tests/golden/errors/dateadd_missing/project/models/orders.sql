select
    order_id,
    {{ dbt.dateadd('day', 7, 'ordered_at') }} as due_at
from raw.orders
