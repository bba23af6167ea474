-- Exact duplicates among the clean rows of a delivery collapse to the first copy; the later
-- copies are quarantined, so nothing is dropped silently. {columns}: every contract column.
-- Only rows whose hash of {columns} repeats can be copies; the exact comparison (NULLs equal)
-- runs on those few rows, not on the whole delivery.
update _typed
set _reasons = list_append(_reasons, 'duplicate of line ' || (repeats._first + $line_offset))
from (
    select _row, min(_row) over (partition by {columns}) as _first
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
where _typed._row = repeats._row and repeats._row <> repeats._first
