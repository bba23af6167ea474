-- The readers' copy of {table} brought up to date: the rows of the changed files
-- (reader_files_changed) replaced by the warehouse's.
delete from main.{table}
where coalesce(file_id, '') in (select file_key from reader_files_changed);

insert into main.{table}
select * from w.{table}
where coalesce(file_id, '') in (select file_key from reader_files_changed);
