
select * from lake.customers