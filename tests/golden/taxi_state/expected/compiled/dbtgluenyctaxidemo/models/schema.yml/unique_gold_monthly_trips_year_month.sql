
    
    

select
    year_month as unique_field,
    count(*) as n_records

from (select * from dbt_glue_demo_nyc_metrics.gold_monthly_trips where type = 'yellow') dbt_subquery
where year_month is not null
group by year_month
having count(*) > 1


