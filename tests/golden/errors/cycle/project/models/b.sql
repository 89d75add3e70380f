select id, amount * 2 as amount
from {{ ref('a') }}
