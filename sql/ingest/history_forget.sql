-- The feed's history is built anew: no snapshot of it is listed.
delete from history_snapshots where feed = $feed
