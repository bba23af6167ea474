-- _known: the keys of this batch that its reference feed holds, with the date each was first
-- delivered (a row's key counts as known from that date on), from reference_keys (one row per
-- key, ingest/reference.py). The batch's own keys are the small side of the join.
-- {key}: the batch's key column.
create or replace temp table _known as
select key, first_delivered
from reference_keys
where feed = $feed
  and key_column = $key_column
  and key in (select {key} from _typed where {key} is not null)
