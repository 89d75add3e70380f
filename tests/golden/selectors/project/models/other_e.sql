{{ config(tags=['nightly'], materialized='view') }}
select 5 as id
