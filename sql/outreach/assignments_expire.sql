-- assignments_expire: an open assignment with no result $days days after it was made expires
-- on that day.
update assignments
set status = 'expired', closed_on = assigned_on + $days
where status = 'open' and assigned_on + $days <= $as_of
