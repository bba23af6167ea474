-- stored_columns: the columns of warehouse table $table, in order (features/build.py:
-- store_snapshot compares them with a new snapshot's).
select column_name
from information_schema.columns
where table_name = $table and table_schema = 'main'
order by ordinal_position
