

with spine as (
    
    select explode(sequence(
        to_date('2024-01-01'),
        to_date('2024-12-31'),
        interval 1 day
    )) as date_day

)

select
    date_day,
    date_format(date_day, 'yyyy-MM') as month,
    dayofweek(date_day) in (1, 7) as is_weekend
from spine