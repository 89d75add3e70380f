
    
    



select id
from erp_raw.orders
where id is null


