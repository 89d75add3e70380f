{{ config(materialized='view') }}

with spine as (
    {{ myutils.date_spine('2024-01-01', '2024-12-31') }}
)

select
    date_day,
    date_format(date_day, 'yyyy-MM') as month,
    dayofweek(date_day) in (1, 7) as is_weekend
from spine
