-- registry_rows: the registry snapshot of $registry_date, one row per member as fx_members keeps
-- it (a person listed twice stays in the household fx_members chose), with its partition.
with

snapshot as (
    select * from part_source where delivery_date = $registry_date
),

persons as (
    select * from part_persons
),

final as (
    select s.*, p.part_sigungu
    from snapshot s
    join persons p
        on s.person_key = p.person_key
        and s.household_key = p.household_key
        and s.relation is not distinct from p.relation
)

select * from final
