-- _json_lines: one JSON object a line, numbered in file order; a malformed line fails the
-- whole file (a transfer that broke mid-object).
create or replace temp table _json_lines as
select row_number() over () as _row, json
from read_json_objects($path, format = 'newline_delimited', compression = $compression)
