

select
    c.customer_id,
    c.customer_name,
    r.region_name
from analytics.stg_customers as c
left join analytics.regions as r on c.region_code = r.region_code