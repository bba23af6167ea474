-- The snapshots from $changed_from on are listed again.
delete from history_snapshots where feed = $feed and delivery_date >= $changed_from
