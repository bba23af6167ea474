-- person_rows: a person-keyed feed's rows delivered by $as_of, in their registry household's
-- partition. Rows of people outside the registry at $as_of join no household in the features.
with

source as (
    select * from part_source where delivery_date <= $as_of
),

persons as (
    select person_key, part_sigungu from part_persons
),

final as (
    select s.*, p.part_sigungu
    from source s
    join persons p using (person_key)
)

select * from final
