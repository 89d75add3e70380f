select id as customer_id, full_name from {{ source('app', 'customers') }}
