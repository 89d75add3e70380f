-- fiscal years start in month 7; built in finance for target prod
-- batch prod_month_end_close, stored as iceberg
-- glue 5.0, temp schema None, idle 10 min, 10 x G.2X, 40 target keys
select
    posted_date,
    case
        when month(posted_date) >= 7 then year(posted_date)
        else year(posted_date) - 1
    end as fiscal_year,
    mod(month(posted_date) - 7 + 12, 12) + 1 as fiscal_month
from (select distinct posted_date from finance.stg_gl_entries) as dates