-- The values of {table} (gx_new_values.sql), for GX.
select v from {table}
