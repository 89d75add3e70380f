select
    id as customer_id,
    name as customer_name,
    region_code
from erp_raw.customers