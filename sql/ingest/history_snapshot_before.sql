-- The last snapshot listed before $changed_from: the history up to there stands.
select max(delivery_date) from history_snapshots
where feed = $feed and delivery_date < $changed_from
