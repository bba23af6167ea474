-- no_visits: a warehouse no visit results were loaded into yet (`sagak ingest` alone) has no
-- `visits` table; fx_visits then reads this empty one: no household was visited.
create temp table if not exists visits (
    household_key varchar,
    visit_date date,
    outcome varchar,
    reported_on date
)
