-- How many values gx_passed holds for the feed's column under its rules.
select count(*) from gx_passed
where feed = $feed and frame_column = $frame_column and rules = $rules
