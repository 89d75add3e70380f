-- this: exists as a table (analytics.orders_current)
-- legacy: analytics.orders_legacy, a view
-- archive: none
select order_id, status from app.orders
union all
select order_id, status from analytics.orders_legacy