-- The load floor (bench/load_floor.py), CSV feeds: every delivery of a feed ($files, UTF-8;
-- gzip by extension) read as text in one statement, columns matched by header name across
-- files, the key hashed, the rows stored in {table}. {table}, {key}: identifiers from
-- bench/load_floor.py ({key}: the file headers that spell the feed's key, coalesced).
create table {table} as
select *, sha256({key}) as key_sha256
from read_csv(
    $files,
    header = true,
    all_varchar = true,
    union_by_name = true,
    filename = true,
    delim = ',',
    quote = '"',
    escape = '"'
)
