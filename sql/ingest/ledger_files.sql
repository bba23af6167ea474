-- The ledger's knowledge of files, oldest entry first. A duplicate is recorded before the
-- batch of the file it repeats: that file comes first (and a duplicate is never taken for the
-- first file of its bytes: ingest/ledger.py, Seen).
select path, sha256, status
from ingest_ledger
where sha256 is not null
order by status = 'duplicate', rowid
