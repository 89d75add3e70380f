select
    cur.customer_id,
    old.full_name
from {{ ref('dim_customers') }} cur
join {{ ref('dim_customers', v=1) }} old using (customer_id)
