-- fx_signal_features: per household and monthly feed, the windowed aggregates of fx_signal_months.
-- Households by `hid` (fx_household_ids), as fx_signal_months gives them.
-- "The k-month window" is the k data months ending with the month of $as_of (months_back < k).
-- There is no 1-month window: the month of $as_of is never delivered by $as_of (feeds lag).
with

months as (
    select * from fx_signal_months
),

feed_last_months as (
    -- the newest data month each feed had delivered by $as_of: where an arrears streak must end
    select feed, max(month) as last_month from months group by feed
),

aggregates as (
    select
        hid,
        feed,
        max(arrears_months) filter (where months_back < 3) as arrears_months_max_3m,
        max(arrears_months) filter (where months_back < 6) as arrears_months_max_6m,
        max(arrears_months) filter (where months_back < 12) as arrears_months_max_12m,
        max(arrears_amount) filter (where months_back < 3) as arrears_amount_max_3m,
        max(arrears_amount) filter (where months_back < 12) as arrears_amount_max_12m,
        max(delinquency_days) filter (where months_back < 3) as delinquency_days_max_3m,
        max(delinquency_days) filter (where months_back < 12) as delinquency_days_max_12m,
        bool_or(cutoff) filter (where months_back < 3)::integer as cutoff_3m,
        bool_or(cutoff) filter (where months_back < 12)::integer as cutoff_12m,
        bool_or(flag) filter (where months_back < 3)::integer as flag_3m,
        bool_or(flag) filter (where months_back < 12)::integer as flag_12m,
        -- rising: worse in the last 3 months than in the 3 before
        (coalesce(max(arrears_level) filter (where months_back < 3), 0)
            > coalesce(max(arrears_level) filter (where months_back between 3 and 5), 0)
        )::integer as arrears_rising,
        -- usage drop: mean monthly usage of the last 3 months against the 6 before, in percent.
        -- Summed as decimals: a sum of doubles depends on the order threads add them in, and the
        -- rounded drop of the same rows could differ by 0.1 between two builds of one night
        avg(usage::decimal(18, 3)) filter (where months_back < 3)::double as usage_recent,
        avg(usage::decimal(18, 3)) filter (where months_back between 3 and 8)::double
            as usage_before,
        bool_or(signal) filter (where months_back < 6) as signal_6m,
        min(month) filter (where signal) as first_signal_month
    from months
    group by hid, feed
),

arrears_islands as (
    select
        hid, feed, month,
        (year(month) * 12 + month(month))
            - row_number() over (partition by hid, feed order by month) as island
    from months
    where months_back < 12 and arrears_level > 0
),

streaks as (
    -- consecutive months in arrears ending with the feed's newest data month
    select i.hid, i.feed, count(*)::integer as arrears_streak
    from arrears_islands i
    join feed_last_months f using (feed)
    group by i.hid, i.feed, i.island, f.last_month
    having max(i.month) = f.last_month
),

final as (
    select
        a.* exclude (usage_recent, usage_before),
        coalesce(s.arrears_streak, 0) as arrears_streak,
        case when a.usage_before > 0 and a.usage_recent is not null
            then round(100 * (a.usage_before - a.usage_recent) / a.usage_before, 1)
        end as usage_drop_pct
    from aggregates a
    left join streaks s using (hid, feed)
)

select * from final
