select
    entry_id,
    account_id,
    cast(posted_at as date) as posted_date,
    amount,
    currency
from erp_raw.gl_entries
where account_id not in ('9999', '0000')
