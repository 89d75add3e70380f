select account_id, sum(amount) as balance
from ledger.entries
group by account_id