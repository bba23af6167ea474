-- What `$name` is in the main schema: BASE TABLE or VIEW (no row: neither).
select table_type from information_schema.tables
where table_schema = 'main' and table_name = $name
