-- visit_candidates: each team's first $depth households by team_rank, with what a visit needs.
-- $depth is the largest team capacity; each team's own capacity is applied in outreach/visits.py.
-- Contact details come only from household_contacts and only for these rows.
with

scores as (
    select * from household_scores where team_rank <= $depth
),

contact_rows as (
    select * from household_contacts
),

final as (
    select
        s.emd_code,
        s.team_rank,
        s.household_key,
        c.name,
        c.phone,
        c.address,
        s.members,
        s.head_age,
        s.living_alone,
        s.reasons_ko
    from scores s
    left join contact_rows c using (household_key)
)

select * from final order by emd_code, team_rank, household_key
