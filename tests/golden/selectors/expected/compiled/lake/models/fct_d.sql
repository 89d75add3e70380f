
select id from lake.int_c