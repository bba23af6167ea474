-- archivable_files: the (path, sha256) of inbox files whose content the warehouse holds: loaded,
-- superseded since by a _vN, or a duplicate of such a file. A rejected or ignored file (and a
-- duplicate of one) stays in the inbox for a person to look at.
with

stored as (
    select distinct sha256 from ingest_ledger where status in ('loaded', 'superseded')
),

final as (
    select distinct path, sha256
    from ingest_ledger
    semi join stored using (sha256)
    where status in ('loaded', 'superseded', 'duplicate')
)

select * from final
