-- household: the household's row of the night (web/households.parquet: the ranked-list
-- columns and its features; or ranked.parquet for a night published without it).
with

households as (
    select * from read_parquet($path)
),

final as (
    select * from households
    where household_key = $key
)

select * from final
