-- stg_credit: delinquent debts (1,000,000 to 20,000,000 KRW) per person and data month.
-- Only the latest version of each delivery date counts (a `_v2` replaces its `_v1`; the
-- ledger knows which files loaded), and a row delivered twice in one file counts once.
with

source as (
    select * from raw_credit
),

latest_files as (
    select file_id from current_files where feed = 'credit'
),

renamed as (
    select
        person_key,
        ym,
        strptime(ym || '01', '%Y%m%d')::date as month,  -- first day of the data month
        delinquent_amount,
        delinquency_days,
        debt_relief_dropped,
        delivery_date,
        file_id
    from source
    semi join latest_files using (file_id)
),

final as (
    select distinct * from renamed
)

select * from final
