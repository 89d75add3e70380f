{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['year_month', 'type'],
    partition_by=['year_month']
) }}

SELECT
    year_month,
    type,
    trip_count,
    current_timestamp() AS loaded_at
FROM {{ ref('silver_avg_metrics') }}
{% if is_incremental() %}
WHERE year_month >= (SELECT max(year_month) FROM {{ this }})
{% endif %}
