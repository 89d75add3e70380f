{{ config(tags=['hourly']) }}

select
    c.customer_id,
    c.customer_name,
    r.region_name
from {{ ref('stg_customers') }} as c
left join {{ ref('regions') }} as r on c.region_code = r.region_code
