-- _incoming: a Parquet delivery's rows as text, numbered in file order, so that Parquet
-- goes through the same typing and quarantine rules as the text formats.
create or replace temp table _incoming as
select row_number() over () as _row, {select}
from read_parquet($path)
