-- The databases the connection has attached.
select database_name from duckdb_databases()
