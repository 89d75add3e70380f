select
    customer_id,
    first_name,
    last_name,
    created_at,
    sha2(concat_ws('||', coalesce(cast(customer_id as string), '~'), coalesce(cast(email as string), '~')), 256) as customer_key
from crm_export.customers