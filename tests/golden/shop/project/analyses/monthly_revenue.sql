select
    date_format(order_date, 'yyyy-MM') as order_month,
    sum(revenue) as revenue
from {{ ref('order_summary') }}
group by 1
order by 1
