-- stg_housing: public rent and management-fee arrears per household, data month and kind.
-- Only the latest version of each delivery date counts (a `_v2` replaces its `_v1`; the
-- ledger knows which files loaded), and a row delivered twice in one file counts once.
with

source as (
    select * from raw_housing
),

latest_files as (
    select file_id from current_files where feed = 'housing'
),

renamed as (
    select
        household_key,
        ym,
        strptime(ym || '01', '%Y%m%d')::date as month,  -- first day of the data month
        kind,
        arrears_months,
        arrears_amount,
        delivery_date,
        file_id
    from source
    semi join latest_files using (file_id)
),

final as (
    select distinct * from renamed
)

select * from final
