

WITH source_avg AS (
    SELECT
        avg((CAST(dropoff_datetime AS LONG) - CAST(pickup_datetime AS LONG)) / 60) AS avg_duration,
        avg(passenger_count) AS avg_passenger_count,
        avg(trip_distance) AS avg_trip_distance,
        avg(total_amount) AS avg_total_amount,
        count(*) AS trip_count,
        year,
        month,
        type
    FROM nyctaxi.records
    WHERE year = '2016'
        AND dropoff_datetime IS NOT NULL
    GROUP BY year, month, type
)

SELECT
    *,
    date_format(make_date(CAST(year AS INT), CAST(month AS INT), 1), 'yyyy-MM') AS year_month
FROM source_avg