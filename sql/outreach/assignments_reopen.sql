-- assignments_reopen: reopen the assignments closed after $as_of, as they stood that night.
update assignments
set status = 'open', closed_on = null, outcome = null
where closed_on > $as_of
