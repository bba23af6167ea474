-- stg_registry: who lives where: one row per person and registry snapshot (delivery_date).
-- A full monthly snapshot: the latest delivery at a night is the truth about a household.
-- Only the latest version of each delivery date counts (a `_v2` replaces its `_v1`; the
-- ledger knows which files loaded), and a row delivered twice in one file counts once.
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
    select distinct * from renamed
)

select * from final
