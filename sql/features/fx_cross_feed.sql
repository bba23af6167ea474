-- fx_cross_feed: across the eight monthly feeds, from every row known at $as_of (a stale feed
-- adds what it had): how many feeds signal in the last 6 months, and since when any has.
with

signal_features as (
    select * from fx_signal_features
),

final as (
    select
        household_key,
        count(distinct feed) filter (where signal_6m)::integer as signal_feeds_6m,
        date_diff('month', min(first_signal_month), date_trunc('month', $as_of::date))::integer
            as months_since_first_signal
    from signal_features
    group by household_key
)

select * from final
