-- fx_benefits: welfare benefits per household at $as_of. Benefits is a full monthly snapshot:
-- the latest one delivered by $as_of says who is supported now; a programme that has an end
-- date, or that an earlier snapshot listed and the latest no longer does, has ended.
with

snapshots as (
    select * from stg_benefits
    where delivery_date <= $as_of and delivery_date > $as_of::date - 400
),

latest_date as (
    select max(delivery_date) as delivery_date from snapshots
),

latest as (
    select s.* from snapshots s semi join latest_date using (delivery_date)
),

active as (
    select household_key, count(distinct program)::integer as benefit_programs_active
    from latest
    where end_date is null or end_date > $as_of::date
    group by household_key
),

spells as (
    select household_key, program, start_date,
           max(end_date) as end_date, max(delivery_date) as last_listed
    from snapshots
    group by all
),

ended as (
    -- a spell that vanished without an end date ended, as far as we know, when last listed
    select s.household_key, max(least(coalesce(s.end_date, s.last_listed), $as_of::date)) as ended_on
    from spells s, latest_date l
    where s.end_date <= $as_of::date or s.last_listed < l.delivery_date
    group by s.household_key
),

final as (
    select
        coalesce(a.household_key, e.household_key) as household_key,
        coalesce(a.benefit_programs_active, 0) as benefit_programs_active,
        ($as_of::date - e.ended_on)::integer as days_since_benefit_end
    from active a
    full join ended e using (household_key)
)

select * from final
