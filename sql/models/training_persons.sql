-- training_persons: the members (person_key) the registry listed by $last_as_of in the sampled
-- households (fx_training_sample): whose rows of the person feeds a training run keeps.
select distinct person_key
from main.stg_registry
where delivery_date <= $last_as_of
    and household_key in (select household_key from fx_training_sample)
