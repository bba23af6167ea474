-- The files of a feed that count now but whose rows are not in its stg_ table yet.
create or replace temp table _new_files as
select file_id, delivery_date from current_files
where feed = $feed
  and file_id not in (select file_id from staged_files where feed = $feed)
