-- visit_results_corrected: delete the stored results that a returned row (temp `returned_frame`)
-- corrects, so the corrected rows are inserted in their place (visit_results_insert.sql).
delete from visit_results o using returned_frame n
where n.household_key = o.household_key and n.emd_code = o.emd_code
  and n.assigned_date = o.assigned_date
  and (n.visit_date is distinct from o.visit_date or n.outcome <> o.outcome
       or list_sort(n.services) <> list_sort(o.services)
       or n.visited_by is distinct from o.visited_by)
