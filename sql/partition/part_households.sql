-- part_households: the partition of every household living in the area at $as_of — its city
-- (시군구) as fx_composition gives it, so a household is built and scored where it is listed.
with

composition as (
    select * from fx_composition
),

final as (
    select household_key, coalesce(sigungu_code, 'none') as part_sigungu
    from composition
)

select * from final
