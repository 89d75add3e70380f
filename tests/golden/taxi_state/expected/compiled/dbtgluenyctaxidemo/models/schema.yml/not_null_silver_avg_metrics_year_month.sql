
    
    



select year_month
from dbt_glue_demo_nyc_metrics.silver_avg_metrics
where year_month is null


