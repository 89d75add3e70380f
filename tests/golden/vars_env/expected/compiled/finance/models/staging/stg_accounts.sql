select
    account_id,
    account_name,
    account_type,
    'erp_raw' as source_schema
from erp_raw.accounts