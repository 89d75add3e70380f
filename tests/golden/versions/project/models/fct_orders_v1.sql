select 1 as order_id, 'legacy' as source_system
