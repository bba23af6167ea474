-- fx_cross_feed: across the eight monthly feeds, from every row known at $as_of (a stale feed
-- adds what it had): how many feeds signal in the last 6 months, and since when any has.
-- Households without a signal have no row (household_features gives them 0 and NULL).
with

signal_parts as (
    select * from fx_signal_parts
),

final as (
    select
        household_key,
        count(distinct feed) filter (where signal_6m)::integer as signal_feeds_6m,
        date_diff('month', min(first_signal_month), date_trunc('month', $as_of::date))::integer
            as months_since_first_signal
    from signal_parts
    group by household_key
)

select * from final
