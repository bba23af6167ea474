-- Exact duplicates among the clean rows of a delivery collapse to the first copy; the later
-- copies are quarantined, so nothing is dropped silently. {columns}: `_file` (the delivery in
-- the batch: copies are looked for within a file) and every contract column.
-- Only rows whose hash of {columns} repeats can be copies; the exact comparison (NULLs equal)
-- runs on those few rows, not on the whole batch.
update _typed
set _reasons = list_append(_reasons, 'duplicate of line ' || (repeats._first + $line_offset))
from (
    select _file, _row, min(_row) over (partition by {columns}) as _first
    from _typed
    where len(_reasons) = 0
      and hash({columns}) in (
          select hash({columns}) as _hash
          from _typed
          where len(_reasons) = 0
          group by _hash
          having count(*) > 1
      )
) as repeats
where _typed._file = repeats._file
  and _typed._row = repeats._row
  and repeats._row <> repeats._first
