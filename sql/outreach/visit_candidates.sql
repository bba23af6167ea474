-- visit_candidates: every open assignment with what a visit needs, in priority order per team.
-- Contact details come only from household_contacts and only for these rows. The latest
-- referral concern known at $as_of (last 90 days) is shown as written: free text, kept as text.
with

open_assignments as (
    select household_key, emd_code, assigned_on, exploration
    from assignments
    where status = 'open'
),

scores as (
    select * from household_scores
),

contact_rows as (
    select * from household_contacts
),

referrals as (
    select * from stg_referrals
    where delivery_date <= $as_of
      and referral_date > $as_of::date - interval 90 day
      and concern is not null
),

latest_concern as (
    select household_key, arg_max(concern, (referral_date, source, concern)) as concern
    from referrals
    group by household_key
),

final as (
    select
        a.emd_code,
        row_number() over (
            partition by a.emd_code order by s.team_rank nulls last, a.household_key
        ) as priority,
        s.team_rank,
        a.household_key,
        a.assigned_on,
        a.exploration,
        c.name,
        c.phone,
        c.address,
        s.members,
        s.head_age,
        s.living_alone,
        s.reasons,
        s.reasons_ko,
        s.reasons_en,
        r.concern
    from open_assignments a
    left join scores s using (household_key)
    left join contact_rows c using (household_key)
    left join latest_concern r using (household_key)
)

select * from final order by emd_code, priority
