select id, amount
from {{ ref('b') }}
