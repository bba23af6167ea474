-- The clean rows of _typed into raw_<feed>, with their file lineage.
insert into {table} by name
select {stored}, f.file_id, f.delivery_date, f.version
from _typed as t
join _files as f using (_file)
where f.loaded and len(t._reasons) = 0
