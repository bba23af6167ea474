-- training_rows: the snapshot just built for the kept households (fx_household_features,
-- fx_kept_households) with each household's label at that date (fx_visit_labels, labels/
-- visit_labels.sql; no visit in the window: unlabelled, not_visited) and its sample weight.
select
    f.*,
    v.label,
    coalesce(v.label_reason, 'not_visited') as label_reason,
    coalesce(v.exploration, false) as exploration,
    v.selected_by,
    v.visit_date,
    v.label_known_on,
    k.weight
from fx_household_features f
join fx_kept_households k using (household_key)
left join fx_visit_labels v using (household_key)
order by f.household_key
