

select
    order_date,
    status,
    count(*) as order_count,
    sum(amount) as revenue
from analytics_marts.orders
where order_date >= '2020-01-01'
group by order_date, status