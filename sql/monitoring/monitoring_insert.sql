-- monitoring_insert: store the findings of temp `monitoring_rows`, in the table's columns.
insert into monitoring (night, stage, check_name, subject, value, baseline, bound, severity, message)
select night, stage, check_name, subject, value, baseline, bound, severity, message
from monitoring_rows
