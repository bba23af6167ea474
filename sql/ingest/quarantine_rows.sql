-- Rows of the delivery that break its contract: kept with the reasons, never loaded.
-- `line`: the line in the file (CSV: the header is line 1; Parquet: the row number).
insert into quarantine (path, line, feed, reasons, raw, file_id)
select $path, _row + $line_offset, $feed, _reasons, raw, $file_id
from _quarantined
