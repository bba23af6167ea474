-- ... and staged_files records them, under the query's sha256.
insert into staged_files select $feed, file_id, $sha from _new_files
