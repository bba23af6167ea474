-- registry_households_at: how many households the registry snapshot latest at $as_of lists (the
-- population a training run samples from, models/narrowed.py).
select count(distinct household_key)
from stg_registry
where delivery_date = (select max(delivery_date) from stg_registry where delivery_date <= $as_of)
