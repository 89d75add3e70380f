
    
    



select customer_id
from analytics_marts.dim_customers
where customer_id is null


