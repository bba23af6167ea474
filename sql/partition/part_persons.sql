-- part_persons: the partition of every registry member at $as_of (fx_members): their household's.
-- Members of a household with nobody living (not in fx_composition) have no partition.
with

members as (
    select person_key, household_key, relation from fx_members
),

households as (
    select * from part_households
),

final as (
    select m.person_key, m.household_key, m.relation, h.part_sigungu
    from members m
    join households h using (household_key)
)

select * from final
