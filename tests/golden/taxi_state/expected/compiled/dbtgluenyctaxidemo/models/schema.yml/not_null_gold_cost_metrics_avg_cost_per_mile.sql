
    
    



select avg_cost_per_mile
from dbt_glue_demo_nyc_metrics.gold_cost_metrics
where avg_cost_per_mile is null


