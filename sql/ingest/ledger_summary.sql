-- Files and rows per feed and status for `sagak ledger`, over the same files as
-- ledger_listing.sql (before its limit).
with

chosen as (
    select *
    from ingest_ledger
    where ($feed::varchar is null or feed = $feed::varchar)
      and ($since::date is null or delivery_date >= $since::date)
),

final as (
    select coalesce(feed, '-') as feed,
           status,
           count(*) as files,
           coalesce(sum(rows_loaded), 0) as rows_loaded,
           coalesce(sum(rows_quarantined), 0) as rows_quarantined
    from chosen
    group by all
)

select * from final order by feed, status
