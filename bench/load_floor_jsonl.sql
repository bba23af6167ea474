-- The load floor (bench/load_floor.py), JSON Lines feeds: every delivery of a feed ($files,
-- UTF-8; gzip by extension) in one statement, the contract's keys ($columns) read as text, the
-- key hashed, the rows stored in {table}. {table}, {key}: identifiers from bench/load_floor.py.
create table {table} as
select *, sha256({key}) as key_sha256
from read_json(
    $files,
    format = 'newline_delimited',
    columns = $columns,
    filename = true
)
