{{ config(materialized='view', tags=['reporting']) }}

select
    order_date,
    status,
    count(*) as order_count,
    sum(amount) as revenue
from {{ ref('orders') }}
where order_date >= '{{ var("report_start_date", "2020-01-01") }}'
group by order_date, status
