-- assignments_rewind: forget the picks of $as_of and of any night after it (rewind_assignments
-- refuses when a later night made some: they are never deleted).
delete from assignments where assigned_on >= $as_of
