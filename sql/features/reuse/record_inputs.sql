-- The files a snapshot at $as_of was built from (see feature_inputs).
select $as_of::date as as_of, feed, file_id
from current_files
where delivery_date <= $as_of
