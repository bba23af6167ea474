-- assignments_close: close each open assignment that has a result handed back by $as_of, with
-- its latest result (the day it was reported and its outcome).
update assignments a
set status = 'closed', closed_on = r.reported_on, outcome = r.outcome
from (
    select household_key, emd_code, assigned_date, outcome, reported_on
    from visits
    where reported_on <= $as_of
    qualify row_number() over (
        partition by household_key, emd_code, assigned_date order by reported_on desc
    ) = 1
) r
where a.status = 'open' and a.household_key = r.household_key
  and a.emd_code = r.emd_code and a.assigned_on = r.assigned_date
