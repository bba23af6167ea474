-- The clean rows' contact details of the batch's loaded files, with their lineage.
insert into {store}.contacts by name
select {picked}, f.file_id, f.delivery_date
from _typed as t
join _files as f using (_file)
where f.loaded and len(t._reasons) = 0
