-- training_rows: the snapshot just built for the kept households (fx_household_features,
-- fx_kept_households) with each household's label at that date (fx_visit_labels, labels/
-- visit_labels.sql; no visit in the window: unlabelled, not_visited), its evidence label
-- (fx_evidence_labels, labels/evidence_labels.sql), whether the night could have listed it
-- (fx_training_exclusions), its sample weight and its `draw` in the run's random draw
-- (fx_training_sample: the same fraction for a household at every date).
select
    f.*,
    v.label,
    coalesce(v.label_reason, 'not_visited') as label_reason,
    coalesce(v.exploration, false) as exploration,
    v.selected_by,
    v.visit_date,
    v.label_known_on,
    coalesce(e.evidence, false) as evidence,
    x.household_key is null as listable,
    k.weight,
    s.draw
from fx_household_features f
join fx_kept_households k using (household_key)
left join fx_training_sample s using (household_key)
left join fx_visit_labels v using (household_key)
left join fx_evidence_labels e on e.household_key = f.household_key and e.as_of = f.as_of
left join fx_training_exclusions x using (household_key)
order by f.household_key
