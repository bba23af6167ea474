-- stg_employment: job-loss and unemployment-benefit events per person.
-- Only the latest version of each delivery date counts (a `_v2` replaces its `_v1`; the
-- ledger knows which files loaded), and a row delivered twice in one file counts once.
with

source as (
    select * from raw_employment
),

latest_files as (
    select file_id from current_files where feed = 'employment'
),

renamed as (
    select
        person_key,
        event_date,
        event,
        industry,
        delivery_date,
        file_id
    from source
    semi join latest_files using (file_id)
),

final as (
    select distinct * from renamed
)

select * from final
