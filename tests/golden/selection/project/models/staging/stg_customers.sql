select
    id as customer_id,
    name as customer_name,
    region_code
from {{ source('erp', 'customers') }}
