

select
    date_trunc('month', order_date) as order_month,
    sum(revenue) as revenue
from analytics_finance.revenue_daily
group by 1