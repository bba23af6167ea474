-- ... and staged_files forgets them.
delete from staged_files
where feed = $feed
  and file_id in (select file_id from _gone_files)
