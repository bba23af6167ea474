-- What each stored feature snapshot was built from, so that a later night in the same month can
-- tell whether the monthly feeds' features can be carried over unchanged (features/reuse.py).
create table if not exists feature_builds (
    as_of date,
    registry_date date,        -- the registry snapshot the households come from
    code_hash varchar,         -- of the SQL of the monthly features and their parameters
    monthly_columns varchar[],    -- the columns carried: fx_monthly_features'
    cross_feed_columns varchar[], -- and fx_cross_feed's
    reused_from date           -- NULL: built from the rows; else the night carried over
);

create table if not exists feature_inputs (
    as_of date,
    feed varchar,
    file_id varchar            -- the files of current_files delivered by as_of
);
