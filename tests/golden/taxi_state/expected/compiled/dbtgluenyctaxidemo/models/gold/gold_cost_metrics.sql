WITH avg_cost AS (
    SELECT
        year_month,
        type,
        round(avg_total_amount, 2) AS avg_total_amount,
        round(avg_total_amount / avg_trip_distance, 2) AS avg_cost_per_mile,
        round(avg_total_amount / avg_duration, 2) AS avg_cost_per_minute
    FROM dbt_glue_demo_nyc_metrics.silver_avg_metrics
    WHERE avg_trip_distance > 0
        AND avg_duration > 0
)

SELECT *
FROM avg_cost
ORDER BY year_month, type