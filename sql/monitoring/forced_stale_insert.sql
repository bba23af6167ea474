-- forced_stale_insert: a feed forced stale on $night by a critical finding, with its latest file.
insert into monitoring_forced_stale (night, feed, file_id, reason)
values ($night, $feed, $file_id, $reason)
