
-- quoted: analytics.`relation_forms`, `analytics`.`customers_clean`
-- parts: relation_forms, analytics, `analytics`.relation_forms
select * from analytics.customers_clean