-- A JSON Lines delivery's rows into its batch ({table}), each contract column as text.
insert into {table}
select $file, $delivery_date, _row, {select}
from _json_lines
