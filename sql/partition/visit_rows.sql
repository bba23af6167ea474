-- visit_rows: the visit results handed back by $as_of (what fx_visits may read), in their
-- household's partition.
with

source as (
    select household_key, visit_date, outcome, reported_on
    from visits
    where reported_on <= $as_of
),

households as (
    select * from part_households
),

final as (
    select s.*, h.part_sigungu
    from source s
    join households h using (household_key)
)

select * from final
