-- carried_monthly: fx_monthly_features with every monthly feed's columns: those of the rebuilt
-- feeds from tonight's build (t, fx_monthly_features_rebuilt), the others as stored for
-- $previous (p). {picked} is the select list of quoted column names filled in by
-- features/reuse.py: carry_over, never values.
select p.household_key, {picked}
from (from main.household_features where as_of = $previous) p
left join fx_monthly_features_rebuilt t using (household_key)
