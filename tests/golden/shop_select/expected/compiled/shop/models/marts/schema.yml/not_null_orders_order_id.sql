
    
    



select order_id
from analytics_marts.orders
where order_id is null


