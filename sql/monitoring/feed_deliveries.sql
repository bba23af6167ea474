-- feed_deliveries: per feed, its latest delivery on or before $as_of (the version current now)
-- against the median of its $trailing earlier deliveries: rows received (ledger) and distinct
-- households touched (monitoring_delivery_profile). Point in time: only deliveries <= $as_of.
with

current as (
    select c.feed, c.delivery_date, c.file_id, l.rows_received
    from current_files c
    join ingest_ledger l on l.file_id = c.file_id and l.feed = c.feed and l.status = 'loaded'
    where c.delivery_date <= $as_of
    qualify row_number() over (partition by c.file_id order by l.ingested_at) = 1
),

keys as (
    select feed, file_id, any_value(n_keys) as n_keys
    from monitoring_delivery_profile
    group by feed, file_id
),

numbered as (
    select
        c.*,
        k.n_keys,
        row_number() over (partition by c.feed order by c.delivery_date desc) as recency
    from current c
    left join keys k using (feed, file_id)
),

final as (
    select
        feed,
        max(delivery_date) filter (where recency = 1) as delivery_date,
        any_value(file_id) filter (where recency = 1) as file_id,
        max(rows_received) filter (where recency = 1) as n_rows,
        max(n_keys) filter (where recency = 1) as n_keys,
        median(rows_received) filter (where recency > 1) as usual_rows,
        median(n_keys) filter (where recency > 1) as usual_keys,
        count(*) filter (where recency > 1) as history
    from numbered
    where recency <= $trailing + 1
    group by feed
)

select * from final order by feed
