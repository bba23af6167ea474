-- forced_stale: monitoring_forced_stale's rows of the night $as_of, handed to every partition so
-- its features mark the same feeds stale as the warehouse's (models/partition.py).
from main.monitoring_forced_stale
where night = $as_of
