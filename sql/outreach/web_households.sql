-- web_households: tonight's ranked-list row and feature snapshot of every household, sorted by
-- household_key so that the household page finds one key in one small row group (the ranked
-- list itself is sorted by rank). Pseudonymous keys only, no contact details.
with

ranked as (
    select * from read_parquet($ranked)
),

snapshot as (
    select * exclude (emd_code, sigungu_code, as_of)
    from household_features
    where as_of = $as_of
),

final as (
    select r.*, s.* exclude (household_key)
    from ranked r
    left join snapshot s using (household_key)
)

select * from final
order by household_key
