-- household_team: the team a household belongs to on the night's list (none: not listed).
with

ranked as (
    select * from read_parquet($ranked)
),

final as (
    select emd_code from ranked
    where household_key = $key
)

select * from final
