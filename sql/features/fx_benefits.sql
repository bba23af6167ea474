-- fx_benefits: welfare benefits per household at $as_of. Benefits is a full monthly snapshot:
-- the latest one delivered by $as_of says who is supported now; a programme that has an end
-- date, or that an earlier snapshot listed and the latest no longer does, has ended. The
-- snapshots of the last 400 days are read from their history (benefits_history): a version
-- of a grant is listed by every snapshot from its valid_from up to, not including, its valid_to.
with

snapshots as (
    select delivery_date from history_snapshots
    where feed = 'benefits' and delivery_date <= $as_of and delivery_date > $as_of::date - 400
),

latest_date as (
    select max(delivery_date) as delivery_date from snapshots
),

versions as (
    select * from benefits_history where valid_from <= $as_of
),

last_before as (
    -- per valid_to: the last of those snapshots before it (NULL valid_to: the latest of them)
    select e.valid_to, max(s.delivery_date) as last_listed
    from (select distinct valid_to from versions) e
    join snapshots s on s.delivery_date < coalesce(e.valid_to, 'infinity'::date)
    group by e.valid_to
),

listed as (
    -- the versions those snapshots list, each with the last of them that does
    select v.*, b.last_listed
    from versions v
    join last_before b on v.valid_to is not distinct from b.valid_to
    where b.last_listed >= v.valid_from
),

latest as (
    select l.* from listed l semi join latest_date d on l.last_listed = d.delivery_date
),

active as (
    select household_key, count(distinct program)::integer as benefit_programs_active
    from latest
    where end_date is null or end_date > $as_of::date
    group by household_key
),

spells as (
    select household_key, program, start_date,
           max(end_date) as end_date, max(last_listed) as last_listed
    from listed
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
