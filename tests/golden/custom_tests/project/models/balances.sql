select account_id, sum(amount) as balance
from {{ ref('entries') }}
group by account_id
