select
    cur.customer_id,
    old.full_name
from crm.dim_customers_v2 cur
join crm.dim_customers_legacy old using (customer_id)