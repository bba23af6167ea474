-- outreach_tables: the warehouse tables outreach writes; created once, never dropped.
-- assignments: one row per household put on a team's list on the day assigned_on; status is
-- open until a result comes back (closed), 14 days pass without one (expired) or the registry
-- closes it. (Made before issue 21, its day was `assigned`: assignments_assigned_on.sql.)
create table if not exists assignments (
    household_key varchar,
    emd_code varchar,
    assigned_on date,
    team_rank integer,
    exploration boolean,
    status varchar,
    closed_on date,
    outcome varchar
);

-- visit_results: results handed back by teams through `sagak feedback`, keyed by
-- (household_key, emd_code, assigned_date); `visits` unions them with the legacy files.
-- visited_by (who visited, from the sheet's 방문자) came with issue 19: the alter below adds it,
-- last, to warehouses made before, so old and new tables have the same columns in one order.
create table if not exists visit_results (
    household_key varchar,
    emd_code varchar,
    assigned_date date,
    visit_date date,
    outcome varchar,
    services varchar[],
    exploration boolean,
    reported_on date,
    source_file varchar,
    source_sha256 varchar,
    stored_at timestamp,
    visited_by varchar
);
alter table visit_results add column if not exists visited_by varchar;

-- sheet_log: every visit sheet ever written (append-only).
create table if not exists sheet_log (
    emd_code varchar,
    as_of date,
    path varchar,
    sha256 varchar,
    rows integer,
    written_at timestamp
);

create table if not exists visits (
    household_key varchar,
    emd_code varchar,
    round_start date,
    assigned_date date,
    visit_date date,
    outcome varchar,
    services varchar[],
    selected_by varchar,
    exploration boolean,
    reported_on date,
    source_file varchar
);
