
    
    



select order_id
from analytics.stg_orders
where order_id is null


