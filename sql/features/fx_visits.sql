-- fx_visits: what the teams' visits found at a household in the year before $as_of: visits
-- that confirmed a crisis, and visits that found it not in need. Point-in-time rule: only the
-- results handed back by $as_of (reported_on), of visits made in (D - 365 days, D].
with

visits_known as (
    select household_key, outcome
    from visits
    where reported_on <= $as_of
      and visit_date <= $as_of::date
      and visit_date > $as_of::date - 365
      and outcome in ('confirmed_crisis', 'not_in_need')
),

final as (
    select
        household_key,
        count(*) filter (where outcome = 'confirmed_crisis')::integer as visits_confirmed_365d,
        count(*) filter (where outcome = 'not_in_need')::integer as visits_not_in_need_365d
    from visits_known
    group by household_key
)

select * from final
