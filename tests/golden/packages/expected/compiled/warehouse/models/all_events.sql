
select
    cast('landing.web_events' as string) as _dbt_source_relation,
    *
from landing.web_events

union all

select
    cast('landing.app_events' as string) as _dbt_source_relation,
    *
from landing.app_events
