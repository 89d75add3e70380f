{{
    config(
        materialized='incremental',
        incremental_strategy='insert_overwrite',
        partition_by=['order_date'],
        tags=['hourly']
    )
}}

select
    order_id,
    customer_id,
    order_date,
    status,
    amount,
    credit_card_amount
from {{ ref('int_orders_enriched') }}
{% if is_incremental() %}
where order_date >= (select max(order_date) from {{ this }})
{% endif %}
