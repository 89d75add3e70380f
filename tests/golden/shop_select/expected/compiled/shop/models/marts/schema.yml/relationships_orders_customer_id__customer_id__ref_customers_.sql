
    

select
    from_field

from (
    select customer_id as from_field
    from analytics_marts.orders
    where customer_id is not null
) child
left join (
    select customer_id as to_field
    from analytics_marts.dim_customers
) parent
on child.from_field = parent.to_field

where parent.to_field is null


