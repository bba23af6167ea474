-- raw_columns: the column names of the raw table $raw_table.
select column_name
from information_schema.columns
where table_name = $raw_table
