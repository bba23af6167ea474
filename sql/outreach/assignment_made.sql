-- assignment_made: every assignment ever made, with the day it was made (open, closed or
-- expired): a returned result answers one of them.
with

made as (
    select household_key, emd_code, assigned_on
    from assignments
),

final as (
    select * from made
)

select * from final
