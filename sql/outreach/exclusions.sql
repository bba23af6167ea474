-- exclusions: why a scored household cannot be picked at $as_of, the first reason that applies in
-- this order: deceased, moved_out, escalated, benefit_active, visited_recently, assigned.
-- Point-in-time rule: only registry snapshots delivered and results handed back by $as_of.
with

scores as (
    select household_key, emd_code from household_scores
),

latest as (
    -- $registry_date: the snapshot latest at $as_of (features.build.latest_registry_date); the
    -- registry's history gives its rows: the versions valid then
    select * from registry_history
    where valid_from <= $registry_date and coalesce(valid_to, 'infinity'::date) > $registry_date
),

household_state as (
    select
        household_key,
        bool_and(coalesce(deceased, false)) as all_deceased,
        min(emd_code) filter (where not coalesce(deceased, false)) as emd_now
    from latest
    group by household_key
),

attempts as (
    select * from visits where reported_on <= $as_of
),

unreachable_twice as (
    select household_key from attempts
    where outcome = 'unreachable'
    group by household_key
    having count(*) >= 2
),

visited_recently as (
    -- a visit that met somebody in the last 60 days
    select distinct household_key from attempts
    where visit_date > $as_of::date - 60 and visit_date <= $as_of
),

benefits as (
    select household_key from household_features
    where as_of = $as_of and coalesce(benefit_active::integer, 0) = 1
),

-- the published reason `assigned`: already on a list, open since an earlier night
assigned_before as (
    select distinct household_key from assignments where status = 'open' and assigned_on < $as_of
),

final as (
    select
        s.household_key,
        case
            when st.all_deceased then 'deceased'
            when (select count(*) from latest) > 0
                and (st.household_key is null or st.emd_now <> s.emd_code) then 'moved_out'
            when u.household_key is not null then 'escalated'
            when b.household_key is not null then 'benefit_active'
            when r.household_key is not null then 'visited_recently'
            when a.household_key is not null then 'assigned'
        end as excluded_reason
    from scores s
    left join household_state st using (household_key)
    left join unreachable_twice u using (household_key)
    left join benefits b using (household_key)
    left join visited_recently r using (household_key)
    left join assigned_before a using (household_key)
)

select * from final
