-- forced_stale_delete: forget the feeds forced stale on $night (a re-run decides again).
delete from monitoring_forced_stale where night = $night
