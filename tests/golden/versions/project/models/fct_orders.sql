select 1 as order_id, 'app' as source_system, {{ dbt.current_timestamp() }} as loaded_at
