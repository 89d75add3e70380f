
    

select
    from_field

from (
    select country_code as from_field
    from analytics_marts.dim_customers
    where country_code is not null
) child
left join (
    select country_code as to_field
    from analytics.country_codes
) parent
on child.from_field = parent.to_field

where parent.to_field is null


