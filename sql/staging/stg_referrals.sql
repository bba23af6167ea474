-- stg_referrals: referrals of households by officers, neighbours and services.
-- `concern` is free text written by a person: carried as text, never interpreted.
-- Only the latest version of each delivery date counts (a `_v2` replaces its `_v1`; the
-- ledger knows which files loaded), and a row delivered twice in one file counts once.
with

source as (
    select * from raw_referrals
),

latest_files as (
    select file_id from current_files where feed = 'referrals'
),

renamed as (
    select
        household_key,
        referral_date,
        source,
        concern,
        delivery_date,
        file_id
    from source
    semi join latest_files using (file_id)
),

final as (
    select distinct * from renamed
)

select * from final
