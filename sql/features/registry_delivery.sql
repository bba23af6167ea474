-- registry_delivery: the registry's latest delivery as tonight's fx_feed_freshness found it
-- (NULL when it is older than the freshness lookback; features/build.py then asks the history).
select latest_delivery
from fx_feed_freshness
where feed = 'registry'
