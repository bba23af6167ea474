-- unprofiled_files: the current files of feed $feed that monitoring has not profiled yet.
with

current as (
    select file_id from current_files where feed = $feed
),

profiled as (
    select distinct file_id from monitoring_delivery_profile where feed = $feed
),

final as (
    select file_id from current anti join profiled using (file_id)
)

select * from final order by file_id
