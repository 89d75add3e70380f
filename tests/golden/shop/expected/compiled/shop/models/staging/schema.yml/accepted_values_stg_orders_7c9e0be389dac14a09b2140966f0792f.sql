
    

select *
from (
    select
        status as value_field,
        count(*) as n_records

    from analytics.stg_orders
    group by status
) all_values
where value_field not in (
    'placed','shipped','completed','returned'
)


