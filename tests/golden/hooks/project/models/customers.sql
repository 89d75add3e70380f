select 1 as id, 'ann' as name
