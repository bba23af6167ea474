-- stg_registry: who lives where: one row per person and registry snapshot (delivery_date).
-- A full monthly snapshot: the latest delivery at a night is the truth about a household.
-- Only the latest version of each delivery date counts (a `_v2` replaces its `_v1`; the
-- ledger knows which files loaded). A view, not a copy (ingest/staging.py: VIEWS): the checks
-- leave one row per key and file (a key is never null; a repeat or a conflict of a key in one
-- file is quarantined), and the key is among these columns, so the rows need no distinct.
with

source as (
    select * from raw_registry
),

latest_files as (
    select file_id from current_files where feed = 'registry'
),

renamed as (
    select
        person_key,
        household_key,
        relation,
        birth_date,
        sex,
        disabled,
        emd_code,
        moved_in,
        deceased,
        delivery_date,
        file_id
    from source
    semi join latest_files using (file_id)
),

final as (
    select * from renamed
)

select * from final
