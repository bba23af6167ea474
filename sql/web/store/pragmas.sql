-- pragmas: every connection to the web store (SQLite). WAL lets the nightly's readers and the
-- web's writers share the file; a write waits up to 10 s for another.
pragma journal_mode = wal;
pragma synchronous = full;
pragma busy_timeout = 10000;
