with source as (

    select * from {{ source('raw_shop', 'customers') }}

),

renamed as (

    select
        id as customer_id,
        first_name,
        last_name,
        lower(email) as email,
        upper(country) as country_code,
        cast(created_at as timestamp) as created_at
    from source

)

select * from renamed
