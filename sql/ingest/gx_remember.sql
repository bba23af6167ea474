-- Remember the values of {column} that no rule on it found unexpected tonight: no row holding
-- them carries a reason of those rules ({labelled}: a test on a reason `r`, from the contract).
insert into gx_passed
select distinct $feed, $frame_column, $rules, {column}::varchar
from _typed
where {column} is not null
  and {column}::varchar not in (
      select value from gx_passed
      where feed = $feed and frame_column = $frame_column and rules = $rules
  )
  and len(list_filter(_reasons, lambda r: {labelled})) = 0
