-- nothing_rebuilt: a night that rebuilt no monthly feed carries everything: empty tables stand
-- in for tonight's build (features/reuse.py: carry_over).
create temp table fx_monthly_features_rebuilt as
select household_key from main.household_features limit 0;
create temp table fx_signal_parts_rebuilt as
select * exclude (as_of) from feature_signal_parts limit 0;
