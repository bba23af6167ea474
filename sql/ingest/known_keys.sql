-- _known: the keys of this delivery that its reference feed held by the delivery date, from
-- reference_keys (one row per key, ingest/reference.py). The delivery's own keys are the small
-- side of the join. {key}: the delivery's key column.
create or replace temp table _known as
select key
from reference_keys
where feed = $feed
  and key_column = $key_column
  and first_delivered <= $delivery_date
  and key in (select {key} from _typed where {key} is not null)
