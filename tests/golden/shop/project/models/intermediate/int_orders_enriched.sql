select
    o.order_id,
    o.customer_id,
    o.order_date,
    o.status,
    coalesce(p.total_amount, 0) as amount,
    coalesce(p.credit_card_amount, 0) as credit_card_amount
from {{ ref('stg_orders') }} as o
left join {{ ref('int_order_payments') }} as p
    on o.order_id = p.order_id
