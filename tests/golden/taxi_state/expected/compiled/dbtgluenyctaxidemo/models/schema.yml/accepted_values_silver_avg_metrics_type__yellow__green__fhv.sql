
    

select *
from (
    select
        type as value_field,
        count(*) as n_records

    from dbt_glue_demo_nyc_metrics.silver_avg_metrics
    group by type
) all_values
where value_field not in (
    'yellow','green','fhv'
)


