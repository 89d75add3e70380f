

SELECT
    year_month,
    type,
    trip_count,
    current_timestamp() AS loaded_at
FROM dbt_glue_demo_nyc_metrics.silver_avg_metrics
