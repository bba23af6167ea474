-- Quarantined rows for `sagak quarantine`: of the rows of $feed (every feed when NULL) from
-- files delivered on or after $since (any day when NULL), the $limit of the latest files
-- (all when NULL), in delivery, path and line order. The delivery date is the ledger's.
with

files as (
    select distinct path, file_id, delivery_date
    from ingest_ledger
),

chosen as (
    select q.path, q.line, q.feed, q.reasons, q.raw, f.delivery_date
    from quarantine q
    left join files f using (path, file_id)
    where ($feed::varchar is null or q.feed = $feed::varchar)
      and ($since::date is null or f.delivery_date >= $since::date)
),

latest as (
    select *
    from chosen
    order by delivery_date desc nulls last, path desc, line desc
    limit $limit
),

final as (
    select path, line, feed, delivery_date, reasons, raw
    from latest
)

select * from final order by delivery_date nulls first, path, line
