-- fx_stale_flags: one row, `<feed>_stale` (1 = stale at $as_of) for every feed — the one place the
-- flags of fx_feed_freshness become columns, for fx_monthly_features and household_features.
with

freshness as (
    select * from fx_feed_freshness
),

final as (
    select
        max(stale) filter (where feed = 'registry') as registry_stale,
        max(stale) filter (where feed = 'kepco') as kepco_stale,
        max(stale) filter (where feed = 'water') as water_stale,
        max(stale) filter (where feed = 'gas') as gas_stale,
        max(stale) filter (where feed = 'nhis') as nhis_stale,
        max(stale) filter (where feed = 'nps') as nps_stale,
        max(stale) filter (where feed = 'telecom') as telecom_stale,
        max(stale) filter (where feed = 'credit') as credit_stale,
        max(stale) filter (where feed = 'housing') as housing_stale,
        max(stale) filter (where feed = 'employment') as employment_stale,
        max(stale) filter (where feed = 'benefits') as benefits_stale,
        max(stale) filter (where feed = 'referrals') as referrals_stale
    from freshness
)

select * from final
