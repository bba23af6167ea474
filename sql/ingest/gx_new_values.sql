-- {table}: the distinct values of {column} in _typed that gx_passed does not hold for its feed
-- and rules, and NULL if the column has one. {column}: a column of _typed. Distinct first, so
-- that only the distinct values are cast to text and looked up (a batch repeats most values).
create or replace temp table {table} as
with

values_ as (
    select distinct {column} as v from _typed
),

final as (
    select v from values_
    where v is null
       or v::varchar not in (
           select value from gx_passed
           where feed = $feed and frame_column = $frame_column and rules = $rules
       )
)

select * from final
