-- visit_results_insert: store the returned rows (temp `returned_frame`) not stored yet, with the
-- exploration flag of the assignment they answer, the day received ($received) and the file
-- they came in ($file, its sha256 $sha).
insert into visit_results (household_key, emd_code, assigned_date, visit_date, outcome,
    services, exploration, reported_on, source_file, source_sha256, stored_at, visited_by)
select n.household_key, n.emd_code, n.assigned_date, n.visit_date, n.outcome, n.services,
       coalesce(a.exploration, false), $received, $file, $sha, now()::timestamp,
       n.visited_by
from returned_frame n
left join assignments a
  on a.household_key = n.household_key and a.emd_code = n.emd_code
 and a.assigned_on = n.assigned_date
where not exists (
    select 1 from visit_results o
    where o.household_key = n.household_key and o.emd_code = n.emd_code
      and o.assigned_date = n.assigned_date
)
