-- The load floor (bench/load_floor.py), Parquet feeds: every delivery of a feed ($files) in one
-- statement, columns matched by name across files and cast to text ({select}), the key hashed,
-- the rows stored in {table}. {table}, {select}, {key}: identifiers from bench/load_floor.py.
create table {table} as
select {select}, filename, sha256(({key})::varchar) as key_sha256
from read_parquet($files, union_by_name = true, filename = true)
