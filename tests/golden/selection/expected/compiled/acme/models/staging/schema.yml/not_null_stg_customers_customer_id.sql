
    
    



select customer_id
from analytics.stg_customers
where customer_id is null


