
-- quoted: analytics.`relation_forms`, `analytics`.`customers_clean`
-- parts: relation_forms, analytics, `analytics`.relation_forms
select * from analytics.customers_clean
-- api: raw.events, view: True
-- columns: `event_id` bigint, string, decimal(38,2), decimal, character varying(255)