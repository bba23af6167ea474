-- Ledger rows for `sagak ledger`: of the files of $feed (every feed when NULL) delivered on or
-- after $since (any day when NULL), the $limit latest seen (all when NULL), oldest first.
with

chosen as (
    select *
    from ingest_ledger
    where ($feed::varchar is null or feed = $feed::varchar)
      and ($since::date is null or delivery_date >= $since::date)
),

latest as (
    select *
    from chosen
    order by ingested_at desc, path desc
    limit $limit
),

final as (
    select path, feed, delivery_date, version, sha256, rows_received, rows_loaded,
           rows_quarantined, status, message, ingested_at, file_id
    from latest
)

select * from final order by ingested_at, path
