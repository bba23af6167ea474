-- household_features: the household's feature snapshot of the night (one row or none).
with

snapshot as (
    select * from read_parquet($features)
),

final as (
    select * exclude (as_of) from snapshot
    where household_key = $key
)

select * from final
