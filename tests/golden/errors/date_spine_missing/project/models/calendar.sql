select
    date_day
from (
    {{ dbt.date_spine('day', "to_date('2024-01-01')", "to_date('2024-02-01')") }}
) as spine
