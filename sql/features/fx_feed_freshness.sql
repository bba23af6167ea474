-- fx_feed_freshness: per feed, its latest delivery on or before $as_of and whether it is stale.
-- A stale feed (no delivery within its max age, from fx_freshness_rules) gives NULL features
-- at $as_of: missing rows from a late feed are not evidence that nothing happened.
-- A feed that night-over-night monitoring found broken at $as_of (fx_forced_stale, from
-- monitoring_forced_stale: a tenth of its usual rows, a column gone blank) is stale too.
-- Only deliveries of the last $lookback_days (the largest max age) are read: fast at scale, and
-- latest_delivery is NULL for a feed with nothing that recent.
with

rules as (
    select * from fx_freshness_rules
),

forced as (
    select distinct feed from fx_forced_stale
),

latest_deliveries as (
    -- the registry's (and benefits') snapshots, as their histories list them
    select 'registry' as feed, max(delivery_date) as latest_delivery
    from history_snapshots
    where feed = 'registry' and delivery_date between $as_of::date - $lookback_days and $as_of
    union all
    select 'kepco', max(delivery_date) from stg_kepco
    where delivery_date between $as_of::date - $lookback_days and $as_of
    union all
    select 'water', max(delivery_date) from stg_water
    where delivery_date between $as_of::date - $lookback_days and $as_of
    union all
    select 'gas', max(delivery_date) from stg_gas
    where delivery_date between $as_of::date - $lookback_days and $as_of
    union all
    select 'nhis', max(delivery_date) from stg_nhis
    where delivery_date between $as_of::date - $lookback_days and $as_of
    union all
    select 'nps', max(delivery_date) from stg_nps
    where delivery_date between $as_of::date - $lookback_days and $as_of
    union all
    select 'telecom', max(delivery_date) from stg_telecom
    where delivery_date between $as_of::date - $lookback_days and $as_of
    union all
    select 'credit', max(delivery_date) from stg_credit
    where delivery_date between $as_of::date - $lookback_days and $as_of
    union all
    select 'housing', max(delivery_date) from stg_housing
    where delivery_date between $as_of::date - $lookback_days and $as_of
    union all
    select 'employment', max(delivery_date) from stg_employment
    where delivery_date between $as_of::date - $lookback_days and $as_of
    union all
    select 'benefits', max(delivery_date) from history_snapshots
    where feed = 'benefits' and delivery_date between $as_of::date - $lookback_days and $as_of
    union all
    select 'referrals', max(delivery_date) from stg_referrals
    where delivery_date between $as_of::date - $lookback_days and $as_of
),

final as (
    select
        r.feed,
        d.latest_delivery,
        ($as_of::date - d.latest_delivery)::integer as age_days,
        r.max_age_days,
        (f.feed is not null)::integer as forced_stale,
        -- never delivered counts as stale too
        (coalesce($as_of::date - d.latest_delivery > r.max_age_days, true)
            or f.feed is not null)::integer as stale
    from rules r
    left join latest_deliveries d using (feed)
    left join forced f using (feed)
)

select * from final
