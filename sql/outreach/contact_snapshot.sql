-- contact_snapshot: the one file of the registry snapshot delivered on $registry_date whose rows
-- count (stg_registry keeps only the latest version of a delivery date; so do its contacts).
-- No row: no registry delivered then.
select file_id
from ingest_ledger
where feed = 'registry' and status = 'loaded' and delivery_date = $registry_date
order by version desc, file_id
limit 1
