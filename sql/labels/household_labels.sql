-- household_labels: for each household of household_features at $as_of, its label from
-- fx_visit_labels (sql/labels/visit_labels.sql, the first visit window after $as_of); a
-- household without a visit in that window is unlabelled, reason not_visited.
with

households as (
    select household_key from household_features where as_of = $as_of
),

final as (
    select
        h.household_key,
        $as_of::date as as_of,
        v.label,
        coalesce(v.label_reason, 'not_visited') as label_reason,
        coalesce(v.exploration, false) as exploration,
        v.selected_by,
        v.visit_date,
        v.label_known_on
    from households h
    left join fx_visit_labels v using (household_key)
)

select * from final
