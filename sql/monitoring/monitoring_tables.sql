-- The monitoring-owned tables (README "Monitoring"): one row per check per night, the feeds a
-- critical finding forced stale for a night (read by features/fx_feed_freshness), and one
-- profile per delivered file, measured once when the file is first seen by monitoring.
create table if not exists monitoring (
    night date,
    stage varchar,              -- feeds | model | list | alerts: a re-run replaces its stage's rows
    check_name varchar,         -- e.g. volume, blanks, feature_psi, list_overlap, live_precision
    subject varchar,            -- feed, feed.column, feature, team, week of assignment, …
    value double,
    baseline double,            -- what it is compared with (usual volume, last night, validation)
    bound double,               -- the threshold that decided the severity
    severity varchar,           -- ok | warning | critical
    message varchar             -- one line a person can act on
);

create table if not exists monitoring_forced_stale (
    night date,
    feed varchar,
    file_id varchar,            -- the delivery judged broken
    reason varchar
);

create table if not exists monitoring_delivery_profile (
    feed varchar,
    file_id varchar,
    n_rows bigint,              -- rows loaded into raw_<feed>
    n_keys bigint,              -- distinct households (or persons, for person-keyed feeds)
    column_name varchar,
    blanks bigint               -- NULL values of the column (blank, '-', or unreadable)
);
