-- A CSV delivery's rows as text into its batch's pending table {table}, numbered in file
-- order (header excluded), with the file's number in the batch ($file) and delivery date.
-- The dialect is fixed, not sniffed, and strict: a truncated or ragged file fails whole
-- instead of loading a guess. So is the compression ($compression: gzip for a `.csv.gz`).
-- {select} is built from the contract (identifiers only).
insert into {table}
select $file, $delivery_date, row_number() over () as _row, {select}
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
