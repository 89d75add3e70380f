select
    first(full_name) as any_name,
    max(is_active_text = 'true') as any_active,
    array_join(slice(collect_list(email_domain), 1, 5), ', ') as domains,
    concat(array('a', 'b'), array('c')) as tags,
    (channel = 'web') as is_web,
    cast(count(*) as integer) as n,
    cast(max(signup_score) > 0 as boolean) as scored
from analytics.customers_clean
group by channel
except
select null, null, null, null, null, 0, false
intersect
select null, null, null, null, null, 0, false