-- delivery_volumes: rows received by every current delivery of the $days nights up to $as_of,
-- per feed and delivery date (the report's volume chart).
with

current as (
    select c.feed, c.delivery_date, l.rows_received
    from current_files c
    join ingest_ledger l on l.file_id = c.file_id and l.feed = c.feed and l.status = 'loaded'
    where c.delivery_date > $as_of::date - $days and c.delivery_date <= $as_of
),

final as (
    select feed, delivery_date, max(rows_received) as rows_received
    from current
    group by feed, delivery_date
)

select * from final order by feed, delivery_date
