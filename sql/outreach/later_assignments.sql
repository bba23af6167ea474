-- later_assignments: the newest night after $as_of that made assignments (NULL if none).
select max(assigned) as assigned_on
from assignments
where assigned > $as_of
