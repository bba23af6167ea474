-- Rows of the batch's deliveries that break their contract: kept with the reasons, never loaded.
-- `line`: the line in the file (CSV: the header is line 1; Parquet: the row number).
insert into quarantine (path, line, feed, reasons, raw, file_id)
select f.path, q._row + $line_offset, $feed, q._reasons, q.raw, f.file_id
from _quarantined as q
join _files as f using (_file)
