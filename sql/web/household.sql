-- household: the household's row on the night's ranked list (pseudonymous, no contacts).
with

ranked as (
    select * from read_parquet($ranked)
),

final as (
    select * from ranked
    where household_key = $key
)

select * from final
