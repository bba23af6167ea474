-- The feed's stg_ table is built anew: no file of it is in.
delete from staged_files where feed = $feed
