-- current_files: for each feed and delivery date, the one file whose rows count — the newest
-- loaded version (a `_v2` replaces its `_v1`). Every stg_<feed> view keeps only these files' rows.
with

loaded_files as (
    select * from ingest_ledger where status = 'loaded'
),

final as (
    select feed, delivery_date, file_id
    from loaded_files
    qualify row_number() over (
        partition by feed, delivery_date order by version desc, ingested_at desc
    ) = 1
)

select * from final
