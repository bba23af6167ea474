-- reference_keys: every key a reference feed's raw table holds (a column other feeds' keys
-- must be known in, `known_in` in the contracts), with the first delivery date that held it.
-- Kept in step with raw_<feed> at each load, so checking a delivery's keys reads one row per
-- key instead of every snapshot of the reference feed.
create table if not exists reference_keys (
    feed varchar,               -- the reference feed, e.g. registry
    key_column varchar,         -- its key column, e.g. person_key
    key varchar,
    first_delivered date
)
