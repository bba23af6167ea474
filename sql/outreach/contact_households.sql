-- contact_households: the households whose contact details tonight's outputs need: every open
-- assignment (the visit sheets) and every household unreachable twice by $as_of (escalations).
with

open_assignments as (
    select household_key from assignments where status = 'open'
),

unreachable_twice as (
    select household_key from visits
    where reported_on <= $as_of and outcome = 'unreachable'
    group by household_key
    having count(*) >= 2
),

final as (
    select household_key from open_assignments
    union
    select household_key from unreachable_twice
)

select * from final
