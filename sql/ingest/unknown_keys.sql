-- A key of {key} that its reference feed did not hold by its file's delivery date (_known)
-- gets $reason; files delivered before the reference feed's first delivery ($first) are not
-- checked.
update _typed
set _reasons = list_append(_reasons, $reason)
where {key} is not null
  and _delivery_date >= $first
  and not exists (
      select 1 from _known
      where _known.key = _typed.{key} and _known.first_delivered <= _typed._delivery_date
  )
