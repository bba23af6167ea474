-- open_assignments: every open assignment, with the day it was made (assigned_on).
with

open_assignments as (
    select household_key, emd_code, assigned_on, exploration
    from assignments
    where status = 'open'
),

final as (
    select * from open_assignments
)

select * from final
