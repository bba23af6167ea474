-- training_exclusions: the households the night $as_of could not have listed, for a training or
-- validation date: the exclusions of outreach/exclusions.sql that a past date can know —
-- a benefit active at $as_of (the snapshot just built), unreachable twice, or a visit that met
-- somebody in the 60 days before (results handed back by $as_of). Deceased and moved-out
-- households are not in the snapshot at all. A model is trained and chosen for the others.
with

attempts as (
    select * from visits where reported_on <= $as_of
),

benefits as (
    select household_key from fx_household_features where coalesce(benefit_active, 0) = 1
),

unreachable_twice as (
    select household_key from attempts
    where outcome = 'unreachable'
    group by household_key
    having count(*) >= 2
),

visited_recently as (
    select household_key from attempts
    where visit_date > $as_of::date - 60 and visit_date <= $as_of
),

final as (
    select household_key, 'benefit_active' as excluded_reason from benefits
    union
    select household_key, 'escalated' from unreachable_twice
    union
    select household_key, 'visited_recently' from visited_recently
)

select household_key, min(excluded_reason) as excluded_reason from final group by household_key
