-- The earliest delivery date whose rows a feed's stg_ table gained or lost in this refresh
-- (NULL: none): a history (ingest/history.py) is rebuilt from there on. A gone file's date comes
-- from the ledger, its rows being deleted; any of its ledger rows will do (earlier is safe).
select min(delivery_date) as changed_from
from (
    select delivery_date from _new_files
    union all
    select delivery_date from ingest_ledger
    where file_id in (select file_id from _gone_files)
)
