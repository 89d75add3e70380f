
    
    



select pickup_datetime
from nyctaxi.records
where pickup_datetime is null


