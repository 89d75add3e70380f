select
    {{ myutils.star(from=source('crm', 'customers'), except=['phone', 'EMAIL']) }},
    {{ myutils.generate_surrogate_key(['customer_id', 'email']) }} as customer_key
from {{ source('crm', 'customers') }}
