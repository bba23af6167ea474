-- table_columns: the columns of the warehouse's own table $table (not a temporary one, not one of
-- an attached database), in order.
select column_name
from information_schema.columns
where table_catalog = current_database() and table_schema = 'main' and table_name = $table
order by ordinal_position
