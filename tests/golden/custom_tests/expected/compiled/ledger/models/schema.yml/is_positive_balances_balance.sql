
select balance
from ledger.balances
where balance <= 0
