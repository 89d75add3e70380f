
    
    



select customer_id
from crm.dim_customers_v2
where customer_id is null


