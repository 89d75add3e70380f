{{ config(tags=['nightly']) }}
select id from {{ ref('int_c') }}
