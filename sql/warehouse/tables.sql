-- The tables and views the connection sees, temporary ones included; or those of the
-- attached $database only.
select table_name from information_schema.tables
where table_catalog = coalesce($database, table_catalog)
