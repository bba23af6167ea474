-- The last delivery date per feed on or before $as_of among files whose rows counted
-- (a rejected or duplicate file is not a delivery of new data).
select feed, max(delivery_date) as last_delivery
from ingest_ledger
where status in ('loaded', 'superseded') and delivery_date <= $as_of
group by feed
