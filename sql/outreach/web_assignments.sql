-- web_assignments: the open assignments after tonight's picks, with the day each was made;
-- the web application checks a result entered for a household against them, as feedback does.
with

open_assignments as (
    select household_key, emd_code, assigned_on, team_rank, exploration
    from assignments
    where status = 'open'
),

final as (
    select * from open_assignments
    order by emd_code, team_rank nulls last, household_key
)

select * from final
