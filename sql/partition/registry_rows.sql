-- registry_rows: the registry snapshot of $registry_date, one row per member as fx_members keeps
-- it (a person listed twice stays in the household fx_members chose), with its partition. The
-- snapshot's rows are the versions of the registry's history valid then; a partition rebuilds
-- its own history from them (models/partition.py).
with

snapshot as (
    select * exclude (valid_from, valid_to), $registry_date::date as delivery_date
    from registry_history
    where valid_from <= $registry_date and coalesce(valid_to, 'infinity'::date) > $registry_date
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
