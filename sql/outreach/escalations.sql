-- escalations: households unreachable twice or more by $as_of, for the city's case managers
-- (another channel, a joint visit). Contact details come from household_contacts only.
with

attempts as (
    select * from visits where reported_on <= $as_of and outcome = 'unreachable'
),

unreachable as (
    select
        household_key,
        count(*) as unreachable_times,
        max(coalesce(visit_date, assigned_date)) as last_attempt,
        arg_max(emd_code, coalesce(visit_date, assigned_date)) as last_team
    from attempts
    group by household_key
    having count(*) >= 2
),

scores as (
    select * from household_scores
),

contact_rows as (
    select * from household_contacts
),

final as (
    select
        coalesce(s.sigungu_code, left(coalesce(s.emd_code, u.last_team), 5)) as sigungu_code,
        coalesce(s.emd_code, u.last_team) as emd_code,
        u.household_key,
        c.name,
        c.phone,
        c.address,
        u.unreachable_times,
        u.last_attempt,
        s.score,
        s.tier,
        s.reasons_ko,
        s.reasons_en
    from unreachable u
    join scores s using (household_key)
    left join contact_rows c using (household_key)
)

select * from final order by sigungu_code, emd_code, score desc, household_key
