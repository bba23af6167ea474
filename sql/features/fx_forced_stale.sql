-- fx_forced_stale: the feeds a critical monitoring finding forced stale for the night $as_of
-- (monitoring_forced_stale); fx_feed_freshness marks them stale.
select feed
from main.monitoring_forced_stale
where night = $as_of
