

with __dbt__cte__int_order_payments as (


select
    order_id,
    sum(case when payment_method = 'credit_card' then amount else 0 end) as credit_card_amount,
    sum(case when payment_method = 'coupon' then amount else 0 end) as coupon_amount,
    sum(case when payment_method = 'bank_transfer' then amount else 0 end) as bank_transfer_amount,
    sum(case when payment_method = 'gift_card' then amount else 0 end) as gift_card_amount,
    sum(amount) as total_amount
from analytics.stg_payments
group by order_id
),  __dbt__cte__int_orders_enriched as (
select
    o.order_id,
    o.customer_id,
    o.order_date,
    o.status,
    coalesce(p.total_amount, 0) as amount,
    coalesce(p.credit_card_amount, 0) as credit_card_amount
from analytics.stg_orders as o
left join __dbt__cte__int_order_payments as p
    on o.order_id = p.order_id
) select
    order_id,
    customer_id,
    order_date,
    status,
    amount,
    credit_card_amount
from __dbt__cte__int_orders_enriched
