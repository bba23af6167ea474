-- missing_households: tonight's households (fx_composition) without a row in the snapshot stored
-- for $previous: 0, or nothing of $previous can be carried to them.
select count(*) as missing
from fx_composition c
anti join (select household_key from household_features where as_of = $previous) p
    using (household_key)
