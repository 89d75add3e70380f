

SELECT
    year_month,
    type,
    trip_count,
    current_timestamp() AS loaded_at
FROM dbt_glue_demo_nyc_metrics.silver_avg_metrics

WHERE year_month >= (SELECT max(year_month) FROM dbt_glue_demo_nyc_metrics.gold_monthly_trips)
