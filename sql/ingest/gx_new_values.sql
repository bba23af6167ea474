-- The distinct values of {column} in _typed that gx_passed does not hold for its feed and
-- rules, and NULL if the column has one. {column}: a column of _typed.
select distinct {column} as v
from _typed
where {column} is null
   or {column}::varchar not in (
       select value from gx_passed
       where feed = $feed and frame_column = $frame_column and rules = $rules
   )
