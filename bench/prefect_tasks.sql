-- The task runs of the newest flow run in a Prefect SQLite database: name, start, end.
select t.name, t.start_time, t.end_time
from task_run as t
where t.flow_run_id = (select id from flow_run order by created desc limit 1)
order by t.start_time
