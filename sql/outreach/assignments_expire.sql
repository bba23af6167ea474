-- assignments_expire: an open assignment with no result $days days after it was made expires
-- on that day.
update assignments
set status = 'expired', closed_on = assigned + $days
where status = 'open' and assigned + $days <= $as_of
