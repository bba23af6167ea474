-- unprofiled_files: the files of feed $feed the night's checks read that monitoring has not
-- profiled yet: its latest $trailing + 1 current deliveries on or before $as_of (the delivery
-- judged and the earlier ones it is judged against; feed_deliveries.sql, feed_blanks.sql).
-- An older delivery is never read, so never profiled: the first night after a history load
-- profiles a few files a feed, not two years of them.
with

current as (
    select file_id
    from current_files
    where feed = $feed and delivery_date <= $as_of
    qualify rank() over (order by delivery_date desc) <= $trailing + 1
),

profiled as (
    select distinct file_id from monitoring_delivery_profile where feed = $feed
),

final as (
    select file_id from current anti join profiled using (file_id)
)

select * from final order by file_id
