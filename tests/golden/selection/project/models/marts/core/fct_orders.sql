{{ config(materialized='incremental', incremental_strategy='append', tags=['finance']) }}

select
    order_id,
    customer_id,
    order_date,
    sum(line_amount) as order_amount
from {{ ref('int_order_lines') }}
{% if is_incremental() %}
where order_date > (select max(order_date) from {{ this }})
{% endif %}
group by order_id, customer_id, order_date
