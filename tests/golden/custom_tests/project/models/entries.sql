select entry_id, account_id, amount
from {{ source('core', 'journal') }}
