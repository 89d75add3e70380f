select entry_id, account_id, amount
from raw_core.journal