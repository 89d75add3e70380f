select
    id as payment_id,
    payment_method,
    {{ cents_to_dollars('amount', 2, 'floor') }} as amount
from raw.payments
