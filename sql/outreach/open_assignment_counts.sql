-- open_assignment_counts: the open assignments of each team.
select emd_code, count(*) as open_assignments
from assignments
where status = 'open'
group by emd_code
