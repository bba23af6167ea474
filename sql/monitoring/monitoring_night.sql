-- monitoring_night: the monitoring rows of the night $as_of, every stage.
select * exclude (night)
from monitoring
where night = $as_of
