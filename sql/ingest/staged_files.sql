-- staged_files: which loaded files' rows are in each stg_<feed> table, and the sha256 of the
-- sql/staging/stg_<feed>.sql text that put them there (a changed text rebuilds the table).
create table if not exists staged_files (
    feed varchar,
    file_id varchar,
    sql_sha256 varchar
)
