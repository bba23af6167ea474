-- fx_referrals: referrals of a household (by neighbours, officers, police…) known at $as_of.
with

referrals as (
    select household_key, source, $as_of::date - referral_date as days_ago
    from stg_referrals
    where delivery_date <= $as_of
      and referral_date <= $as_of::date
      and referral_date > $as_of::date - 365
),

final as (
    select
        household_key,
        -- referral_date in (D - k days, D]
        count(*) filter (where days_ago < 30)::integer as referrals_30d,
        count(*) filter (where days_ago < 90)::integer as referrals_90d,
        count(*)::integer as referrals_365d,
        min(days_ago)::integer as days_since_referral,
        count(distinct source) filter (where days_ago < 90)::integer as referral_sources_90d
    from referrals
    group by household_key
)

select * from final
