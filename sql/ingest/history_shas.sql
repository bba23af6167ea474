-- The texts (sha256) of the SQL the feed's history was built with.
select distinct sql_sha256 from history_snapshots where feed = $feed
