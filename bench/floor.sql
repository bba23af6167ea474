-- The floor of `make bench`: every row of {relation} scanned and grouped by its key (its first
-- column); returns the rows scanned. {relation}, {key}: identifiers from bench/floor.py.
select coalesce(sum(n), 0)
from (
    select {key}, count(*) as n, max(delivery_date) as last_delivery
    from {relation}
    group by {key}
)
