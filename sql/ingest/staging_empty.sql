-- The stg_ table {table}, empty, with the columns of its staging query.
create table {table} as select * from ({query}) limit 0
