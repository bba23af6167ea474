-- fx_employment: job loss and the end of unemployment benefits per household at $as_of, from
-- events of its members (fx_members) dated in the two years up to $as_of and delivered by then.
with

members as (
    select person_key, household_key from fx_members
),

events as (
    select m.household_key, e.event, $as_of::date - e.event_date as days_ago
    from stg_employment e
    join members m using (person_key)
    where e.delivery_date <= $as_of
      and e.event_date <= $as_of::date
      and e.event_date > $as_of::date - 730
),

final as (
    select
        household_key,
        -- (D - 90 days, D] and (D - 365 days, D]
        bool_or(event = 'job_loss' and days_ago < 90)::integer as job_loss_90d,
        bool_or(event = 'job_loss' and days_ago < 365)::integer as job_loss_365d,
        min(days_ago) filter (where event = 'job_loss')::integer as days_since_job_loss,
        bool_or(event = 'benefit_end' and days_ago < 365)::integer as unemployment_benefit_end_365d,
        bool_or(event = 'no_insurance_12m' and days_ago < 365)::integer as uninsured_365d
    from events
    group by household_key
)

select * from final
