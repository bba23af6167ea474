-- The ingest-owned tables other than raw_<feed> (ARCHITECTURE.md): the delivery ledger,
-- quarantined rows, and contact details kept apart from the feeds.
create table if not exists deliveries (
    file_id varchar,            -- first 16 hex of sha256
    feed varchar,
    path varchar,               -- relative to the inbox
    delivery_date date,
    version integer,
    sha256 varchar,
    status varchar,             -- loaded | rejected | duplicate | ignored
    rows_received bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    message varchar,
    ingested_at timestamp
);

create table if not exists quarantine (
    file_id varchar,
    feed varchar,
    row_number bigint,          -- data row in the file, 1 = first row after the header
    reason varchar,
    record varchar              -- the row as JSON text, identifiers pseudonymised
);

create table if not exists contacts (
    person_key varchar,
    household_key varchar,
    name varchar,
    phone varchar,
    address varchar,
    file_id varchar,
    delivery_date date
);
