{{ config(materialized='view') }}

select
    date_trunc('month', order_date) as order_month,
    sum(revenue) as revenue
from {{ ref('revenue_daily') }}
group by 1
