-- Whether the stg_ table {table} has no row.
select not exists (from {table})
