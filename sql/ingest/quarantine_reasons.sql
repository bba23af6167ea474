-- Quarantined rows per feed and reason for `sagak quarantine`, over the same rows as
-- quarantine_listing.sql (before its limit); reasons with their values stripped ($value, the
-- pattern of a reason's value part, as in top_reasons.sql) so that like reasons count together.
with

files as (
    select distinct path, file_id, delivery_date
    from ingest_ledger
),

chosen as (
    select q.path, q.feed, q.reasons
    from quarantine q
    left join files f using (path, file_id)
    where ($feed::varchar is null or q.feed = $feed::varchar)
      and ($since::date is null or f.delivery_date >= $since::date)
),

reasons as (
    select feed, regexp_replace(unnest(reasons), $value, '') as reason
    from chosen
),

final as (
    select feed, reason, count(*) as n
    from reasons
    group by feed, reason
)

select * from final order by n desc, feed, reason
