-- stg_nps: pension contribution arrears and emergency loans per person and data month.
-- Only the latest version of each delivery date counts (a `_v2` replaces its `_v1`; the
-- ledger knows which files loaded), and a row delivered twice in one file counts once.
with

source as (
    select * from raw_nps
),

latest_files as (
    select file_id from current_files where feed = 'nps'
),

renamed as (
    select
        person_key,
        ym,
        strptime(ym || '01', '%Y%m%d')::date as month,  -- first day of the data month
        contribution_arrears_months,
        emergency_loan,
        delivery_date,
        file_id
    from source
    semi join latest_files using (file_id)
),

final as (
    select distinct * from renamed
)

select * from final
