select
    account_id,
    account_name,
    account_type,
    '{{ env_var("ERP_SCHEMA", "erp_raw") }}' as source_schema
from {{ source('erp', 'accounts') }}
