
with mine as (
    select sum(balance) as total from ledger.balances
), theirs as (
    select sum(amount) as total from ledger.entries
)
select * from mine cross join theirs where mine.total != theirs.total
