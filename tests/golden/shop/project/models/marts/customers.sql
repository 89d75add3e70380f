{{ config(alias='dim_customers', tags=['daily']) }}

with customers as (

    select * from {{ ref('stg_customers') }}

),

countries as (

    select * from {{ ref('country_codes') }}

)

select
    customers.customer_id,
    customers.first_name,
    customers.last_name,
    customers.country_code,
    countries.region,
    customer_orders.first_order_date,
    customer_orders.most_recent_order_date,
    coalesce(customer_orders.number_of_orders, 0) as number_of_orders,
    coalesce(customer_orders.lifetime_value, 0) as lifetime_value
from customers
left join {{ ref('int_customer_orders') }} as customer_orders
    on customers.customer_id = customer_orders.customer_id
left join countries
    on customers.country_code = countries.country_code
