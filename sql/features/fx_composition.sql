-- fx_composition: household composition at $as_of from fx_members; deceased members do not count.
-- The head's age is the living head's, else the oldest living member's (the head has died).
with

members as (
    select * from fx_members
),

living as (
    select * from members where not deceased
),

households as (
    select
        household_key,
        any_value(emd_code order by relation = 'head' desc, person_key) as emd_code,
        count(*)::integer as n_members,
        coalesce(max(age) filter (where relation = 'head'), max(age))::integer as head_age,
        count(*) filter (where age < 18)::integer as n_children,
        count(*) filter (where age >= 65)::integer as n_elderly,
        count(*) filter (where age >= 18)::integer as n_adults,
        count(*) filter (where age between 18 and 59)::integer as n_working_age,
        bool_or(disabled)::integer as any_disabled
    from living
    group by household_key
),

final as (
    select
        household_key,
        emd_code,
        left(emd_code, 5) as sigungu_code,
        n_members,
        head_age,
        (n_members = 1)::integer as living_alone,
        (n_members = 1 and head_age >= 65)::integer as elderly_alone,
        n_children,
        n_elderly,
        -- one adult of working age raising children
        (n_children > 0 and n_adults = 1 and n_working_age = 1)::integer as single_parent,
        -- children living with people of 60 or more and nobody of working age
        (n_children > 0 and n_adults > 0 and n_working_age = 0)::integer as grandparent_grandchild,
        any_disabled
    from households
)

select * from final
