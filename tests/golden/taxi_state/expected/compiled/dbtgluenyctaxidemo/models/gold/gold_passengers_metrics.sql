WITH avg_passengers AS (
    SELECT
        year_month,
        type,
        round(avg_passenger_count, 2) AS avg_passenger_count,
        round(avg_duration, 2) AS avg_duration_minutes,
        round(avg_duration / avg_passenger_count, 2) AS avg_duration_per_passenger
    FROM dbt_glue_demo_nyc_metrics.silver_avg_metrics
    WHERE avg_passenger_count > 0
)

SELECT
    year_month,
    type,
    avg_passenger_count,
    avg_duration_minutes,
    avg_duration_per_passenger
FROM avg_passengers
ORDER BY year_month, type