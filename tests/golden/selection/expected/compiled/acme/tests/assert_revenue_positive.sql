select order_date, revenue
from analytics_finance.revenue_daily
where revenue < 0