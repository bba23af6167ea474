-- assignments_assigned_on: the warehouse migration of issue 21. An `assignments` made before it
-- names the day an assignment was made `assigned`, the name ranked.parquet gives its flag (the
-- household has an open assignment); renamed once to assigned_on, its rows kept
-- (outreach.assignments.outreach_tables runs it only while the old name is there).
alter table assignments rename column assigned to assigned_on
