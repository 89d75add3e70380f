

select
    a.account_id,
    a.account_name,
    p.fiscal_year,
    sum(e.amount) as balance,
    'USD' as currency,
    '2024-01-31T02:00:00Z' as batch_id,
    'month_end_close' as run_label,
    'finance.account_balances' as built_relation,
    'prod/finance' as built_by
from finance.stg_gl_entries as e
join finance.stg_accounts as a on e.account_id = a.account_id
join finance.fiscal_periods as p on e.posted_date = p.posted_date
group by a.account_id, a.account_name, p.fiscal_year
having sum(e.amount) <> 0