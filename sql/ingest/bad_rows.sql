-- Rows received and rows with a reason, per file of the batch.
select _file, count(*), count(*) filter (where len(_reasons) > 0)
from _typed
group by 1
