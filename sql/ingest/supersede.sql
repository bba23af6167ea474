-- A corrected re-delivery (_v<N>) replaces the earlier versions of the same feed and delivery
-- date: only the highest loaded version stays `loaded`, the others become `superseded`.
update ingest_ledger
set status = 'superseded',
    message = concat_ws('; ', message, 'superseded by ' || $path)
where feed = $feed
  and delivery_date = $delivery_date
  and status = 'loaded'
  and version < (
      select max(version) from ingest_ledger
      where feed = $feed and delivery_date = $delivery_date and status in ('loaded', 'superseded')
  )
