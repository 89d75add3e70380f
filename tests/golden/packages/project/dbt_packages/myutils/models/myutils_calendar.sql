{{ config(materialized='table') }}

{{ myutils.date_spine('2020-01-01', '2030-12-31', 'month') }}
