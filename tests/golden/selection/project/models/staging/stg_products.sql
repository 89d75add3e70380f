{{ config(tags=['catalog']) }}

select
    product_id,
    product_name,
    cast(unit_price as decimal(10, 2)) as unit_price
from {{ ref('products') }}
