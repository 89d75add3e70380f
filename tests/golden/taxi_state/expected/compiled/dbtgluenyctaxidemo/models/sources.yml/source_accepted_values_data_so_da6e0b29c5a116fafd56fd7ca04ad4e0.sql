
    

select *
from (
    select
        type as value_field,
        count(*) as n_records

    from nyctaxi.records
    group by type
) all_values
where value_field not in (
    'yellow','green','fhv'
)


