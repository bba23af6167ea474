-- latest_registry: the delivery date of the registry snapshot latest at $as_of (NULL if none).
select max(delivery_date) as delivery_date
from history_snapshots
where feed = 'registry' and delivery_date <= $as_of
