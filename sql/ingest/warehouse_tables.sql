-- The ingest-owned tables other than raw_<feed> (ARCHITECTURE.md): the ledger of every file
-- seen and the quarantined rows. Contact details live in their own store (contacts.duckdb).
create table if not exists ingest_ledger (
    path varchar,               -- relative to the inbox
    feed varchar,
    delivery_date date,
    version integer,            -- 1 unless _v<N>
    sha256 varchar,
    rows_received bigint,       -- = rows_loaded + rows_quarantined, always
    rows_loaded bigint,
    rows_quarantined bigint,
    status varchar,             -- loaded | rejected | duplicate | superseded | ignored
    message varchar,
    ingested_at timestamp,
    file_id varchar             -- first 16 hex of sha256: the lineage column of raw_<feed>
);

create table if not exists quarantine (
    path varchar,
    line bigint,                -- line in the file (CSV: header = line 1); Parquet: row number
    feed varchar,
    reasons varchar[],
    raw varchar,                -- the row's fields as JSON, rrns as keys, no contact details
    file_id varchar
);

-- Values that met every Great Expectations rule on their column (ingest/validate.py): a value
-- judged once is not sent to GX again. `rules` is the rules' text: changed rules start afresh.
create table if not exists gx_passed (
    feed varchar,
    frame_column varchar,
    rules varchar,
    value varchar               -- the value cast to text by DuckDB
);

-- Each inbox file's size and modification time when ingest last hashed it: a file unchanged
-- since (same size and mtime) whose (path, sha256) the ledger holds is not read again.
create table if not exists inbox_files (
    path varchar,               -- relative to the inbox
    size bigint,
    mtime_ns bigint,
    sha256 varchar
);
