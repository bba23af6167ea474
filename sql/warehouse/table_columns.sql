-- The columns of table $table in database $database, in order, with their types.
select column_name, data_type
from duckdb_columns()
where database_name = $database and table_name = $table
order by column_index
