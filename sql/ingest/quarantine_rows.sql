-- Rows of the delivery that break its contract: kept with the reason, never loaded.
insert into quarantine (file_id, feed, row_number, reason, record)
select $file_id, $feed, _row, _reason, _record
from _typed
where _reason is not null
