-- returned_visits: the results teams handed back through `sagak feedback` (visit_results), in
-- the columns of the legacy feedback files, appended to them in table `visits`
-- (outreach/visits.py: load_visits).
select household_key, emd_code, assigned_date as round_start, assigned_date, visit_date, outcome,
       services, case when exploration then 'random' else 'sagak' end as selected_by,
       exploration, reported_on, source_file
from visit_results
