-- Quarantined rows and their files per feed for `sagak quarantine`, over the same rows as
-- quarantine_listing.sql (before its limit).
with

files as (
    select distinct path, file_id, delivery_date
    from ingest_ledger
),

chosen as (
    select q.path, q.feed
    from quarantine q
    left join files f using (path, file_id)
    where ($feed::varchar is null or q.feed = $feed::varchar)
      and ($since::date is null or f.delivery_date >= $since::date)
),

final as (
    select feed, count(*) as rows, count(distinct path) as files
    from chosen
    group by feed
)

select * from final order by rows desc, feed
