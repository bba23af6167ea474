-- Remember the new values of {column} ({new}: gx_new_values.sql) that no rule on it found
-- unexpected tonight: no row holding them carries a reason of those rules ({labelled}: a test
-- on a reason `r`, from the contract). A value found unexpected is so on every row holding it
-- (ingest/validate.py: mark_unexpected), so only the rows with reasons are looked at.
insert into gx_passed
select $feed, $frame_column, $rules, v::varchar
from {new}
where v is not null
  and v not in (
      select {column} from _typed
      where {column} is not null
        and len(_reasons) > 0
        and len(list_filter(_reasons, lambda r: {labelled})) > 0
  )
