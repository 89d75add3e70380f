
    
    



select year_month
from dbt_glue_demo_nyc_metrics.gold_passengers_metrics
where year_month is null


