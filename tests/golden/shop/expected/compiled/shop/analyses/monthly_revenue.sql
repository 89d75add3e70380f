select
    date_format(order_date, 'yyyy-MM') as order_month,
    sum(revenue) as revenue
from analytics_marts.order_summary
group by 1
order by 1