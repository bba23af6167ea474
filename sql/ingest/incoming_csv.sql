-- _incoming: a CSV delivery's rows as text, numbered in file order (header excluded).
-- The dialect is fixed, not sniffed, and strict: a truncated or ragged file fails whole
-- instead of loading a guess. So is the compression ($compression: gzip for a `.csv.gz`).
-- {select} is built from the contract (identifiers only).
create or replace temp table _incoming as
select row_number() over () as _row, {select}
from read_csv(
    $path,
    auto_detect = false,
    header = true,
    columns = $columns,
    delim = ',',
    quote = '"',
    escape = '"',
    strict_mode = true,
    compression = $compression
)
