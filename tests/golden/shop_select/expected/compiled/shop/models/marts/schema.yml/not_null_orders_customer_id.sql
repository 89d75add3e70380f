
    
    



select customer_id
from (select * from analytics_marts.orders where order_date >= '2020-01-01') dbt_subquery
where customer_id is null


