-- stg_kepco: electricity arrears, cut-offs, current limiters and usage (kWh) per person and data month.
-- Only the latest version of each delivery date counts (a `_v2` replaces its `_v1`; the
-- ledger knows which files loaded), and a row delivered twice in one file counts once.
with

source as (
    select * from raw_kepco
),

latest_files as (
    select file_id from current_files where feed = 'kepco'
),

renamed as (
    select
        person_key,
        ym,
        strptime(ym || '01', '%Y%m%d')::date as month,  -- first day of the data month
        arrears_months,
        arrears_amount,
        cutoff,
        current_limiter,
        usage_kwh,
        delivery_date,
        file_id
    from source
    semi join latest_files using (file_id)
),

final as (
    select distinct * from renamed
)

select * from final
