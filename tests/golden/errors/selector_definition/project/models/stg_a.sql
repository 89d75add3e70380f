{{ config(tags=['staging']) }}
select 1 as id
