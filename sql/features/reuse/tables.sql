-- What each stored feature snapshot was built from, so that a later night in the same month can
-- tell which monthly feeds' features can be carried over unchanged (features/reuse.py).
create table if not exists feature_builds (
    as_of date,
    registry_date date,        -- the registry snapshot the households come from
    code_hash varchar,         -- of the SQL of the monthly features and their parameters
    monthly_columns varchar[], -- fx_monthly_features' columns, in order
    rebuilt_feeds varchar[],   -- the monthly feeds built from their rows (all eight, or fewer
                               -- on a night that carried the others over)
    reused_from date           -- NULL: built from the rows; else the night carried over from
);

create table if not exists feature_inputs (
    as_of date,
    feed varchar,
    file_id varchar            -- the files of current_files delivered by as_of
);

-- fx_signal_parts of each stored night of the latest months: what fx_cross_feed combines
create table if not exists feature_signal_parts (
    as_of date,
    household_key varchar,
    feed varchar,
    signal_6m boolean,
    first_signal_month date
);
