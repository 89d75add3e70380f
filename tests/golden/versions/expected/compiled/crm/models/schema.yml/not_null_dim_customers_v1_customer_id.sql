
    
    



select customer_id
from crm.dim_customers_legacy
where customer_id is null


