select order_id, source_system, loaded_at, true as is_preview from {{ ref('fct_orders') }}
