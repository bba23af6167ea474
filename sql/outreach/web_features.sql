-- web_features: tonight's feature snapshot, for the household page (pseudonymous keys only).
with

snapshot as (
    select * from household_features
    where as_of = $as_of
),

final as (
    select * from snapshot
    order by household_key
)

select * from final
