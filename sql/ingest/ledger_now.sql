-- Each file's status as the ledger holds it now (a v1 loaded tonight may be superseded since).
select path, sha256, status, message from ingest_ledger where sha256 is not null
