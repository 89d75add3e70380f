
    
    



select year_month
from dbt_glue_demo_nyc_metrics.gold_monthly_trips
where year_month is null


