select order_date, revenue
from {{ ref('revenue_daily') }}
where revenue < 0
