
    

select *
from (
    select
        status as value_field,
        count(*) as n_records

    from analytics_marts.orders
    group by status
) all_values
where value_field not in (
    'placed','shipped','completed','return_pending','returned'
)


