select c.id as customer_id, 10 as amount from {{ ref('customers') }} c
