-- Quarantined rows for `sagak quarantine`, all feeds when $feed is NULL.
select path, line, feed, reasons, raw
from quarantine
where $feed is null or feed = $feed
order by path, line
