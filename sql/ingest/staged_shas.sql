-- The texts (sha256) of the staging query the feed's stg_ table was built with.
select distinct sql_sha256 from staged_files where feed = $feed
