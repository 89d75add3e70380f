select
    id as payment_id,
    {{ cents_to_dolars('amount') }} as amount
from raw.payments
