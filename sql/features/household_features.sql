-- household_features: one row per household living in the area at $as_of, every feature of the
-- catalog (features/catalog.yml). Point-in-time rule: everything below reads only rows delivered
-- on or before $as_of and the registry snapshot latest at $as_of (see the fx_ relations).
with

composition as (
    select * from fx_composition
),

monthly as (
    select * from fx_monthly_features
),

employment as (
    select * from fx_employment
),

referrals as (
    select * from fx_referrals
),

-- the teams' own visits of the last year (not a feed: never stale)
visits as (
    select * from fx_visits
),

benefits as (
    select * from fx_benefits
),

freshness as (
    select * from fx_stale_flags
),

-- across the eight monthly feeds (see fx_cross_feed)
cross_feed as (
    select * from fx_cross_feed
),

final as (
    select
        c.household_key,
        c.emd_code,
        c.sigungu_code,
        $as_of::date as as_of,
        c.* exclude (household_key, emd_code, sigungu_code),
        m.* exclude (household_key),
        case when f.employment_stale = 0 then coalesce(e.job_loss_90d, 0) end as job_loss_90d,
        case when f.employment_stale = 0 then coalesce(e.job_loss_365d, 0) end as job_loss_365d,
        case when f.employment_stale = 0 then e.days_since_job_loss end as days_since_job_loss,
        case when f.employment_stale = 0 then coalesce(e.unemployment_benefit_end_365d, 0) end
            as unemployment_benefit_end_365d,
        case when f.employment_stale = 0 then coalesce(e.uninsured_365d, 0) end as uninsured_365d,
        case when f.referrals_stale = 0 then coalesce(r.referrals_30d, 0) end as referrals_30d,
        case when f.referrals_stale = 0 then coalesce(r.referrals_90d, 0) end as referrals_90d,
        case when f.referrals_stale = 0 then coalesce(r.referrals_365d, 0) end as referrals_365d,
        case when f.referrals_stale = 0 then r.days_since_referral end as days_since_referral,
        case when f.referrals_stale = 0 then coalesce(r.referral_sources_90d, 0) end
            as referral_sources_90d,
        case when f.benefits_stale = 0 then (coalesce(b.benefit_programs_active, 0) > 0)::integer
        end as benefit_active,
        case when f.benefits_stale = 0 then coalesce(b.benefit_programs_active, 0) end
            as benefit_programs_active,
        case when f.benefits_stale = 0 then b.days_since_benefit_end end as days_since_benefit_end,
        case when f.benefits_stale = 0 then coalesce(b.days_since_benefit_end < 365, false)::integer
        end as benefit_ended_365d,
        -- a benefit ended in the last year and nothing replaced it
        case when f.benefits_stale = 0
            then (coalesce(b.days_since_benefit_end < 365, false)
                and coalesce(b.benefit_programs_active, 0) = 0)::integer
        end as benefit_ended_no_new,
        coalesce(v.visits_confirmed_365d, 0) as visits_confirmed_365d,
        coalesce(v.visits_not_in_need_365d, 0) as visits_not_in_need_365d,
        coalesce(x.signal_feeds_6m, 0) as signal_feeds_6m,
        x.months_since_first_signal,
        f.*
    from composition c
    left join monthly m using (household_key)
    left join employment e using (household_key)
    left join referrals r using (household_key)
    left join benefits b using (household_key)
    left join visits v using (household_key)
    left join cross_feed x using (household_key)
    cross join freshness f
)

select * from final
