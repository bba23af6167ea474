-- The delivery dates of $dates for which the ledger holds a loaded or superseded version of
-- $feed already: a file delivered on one of them may supersede it, or be superseded.
select distinct delivery_date
from ingest_ledger
where feed = $feed
  and delivery_date in (select unnest($dates::date[]))
  and status in ('loaded', 'superseded')
