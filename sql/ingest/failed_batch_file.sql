-- One file of a failed batch as a batch of its own.
create temp table _incoming as
select * replace (0 as _file) from _failed_batch where _file = $file
