
select amount
from ledger.entries
where amount < 0
