-- later_assignments: the newest night after $as_of that made assignments (NULL if none).
select max(assigned_on) as assigned_on
from assignments
where assigned_on > $as_of
