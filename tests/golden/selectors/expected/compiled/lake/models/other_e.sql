
select 5 as id