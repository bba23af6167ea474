-- The files of a feed in its stg_ table that no longer count (superseded by a `_v2`).
create or replace temp table _gone_files as
select file_id from staged_files where feed = $feed
except
select file_id from current_files where feed = $feed
