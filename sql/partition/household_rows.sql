-- household_rows: a household-keyed feed's rows delivered by $as_of, in their household's partition.
with

source as (
    select * from part_source where delivery_date <= $as_of
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
