-- A Parquet delivery's rows as text into its batch's pending table {table}, numbered in file
-- order with the file's number in the batch ($file) and delivery date, so that Parquet
-- goes through the same typing and quarantine rules as the text formats.
insert into {table}
select $file, $delivery_date, row_number() over () as _row, {select}
from read_parquet($path)
