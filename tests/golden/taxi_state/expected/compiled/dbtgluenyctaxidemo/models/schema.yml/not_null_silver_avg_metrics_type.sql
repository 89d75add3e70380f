
    
    



select type
from dbt_glue_demo_nyc_metrics.silver_avg_metrics
where type is null


