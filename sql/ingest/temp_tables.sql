-- The connection's temp tables.
select table_name from duckdb_tables() where temporary
