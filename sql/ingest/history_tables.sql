-- The histories of the full-snapshot feeds (ingest/history.py): one row per version, valid from
-- the delivery date of the first snapshot listing it to that of the first later snapshot that
-- does not (NULL while the latest does). history_snapshots lists the snapshots they were built
-- from: readers find "the snapshot latest at a date" there, not in the copies.
create table if not exists history_snapshots (
    feed varchar,
    delivery_date date,
    rows bigint,                -- rows of the snapshot (a person listed twice counts twice)
    sql_sha256 varchar          -- of the history's SQL: a changed text rebuilds the history
);

create table if not exists registry_history (
    person_key varchar,
    household_key varchar,
    relation varchar,
    birth_date date,
    sex varchar,
    disabled boolean,
    emd_code varchar,
    moved_in date,
    deceased boolean,
    valid_from date,
    valid_to date
);

create table if not exists benefits_history (
    household_key varchar,
    program varchar,
    start_date date,
    end_date date,
    valid_from date,
    valid_to date
);
