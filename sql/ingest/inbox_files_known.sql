-- The fingerprints the warehouse holds.
select path, size, mtime_ns, sha256 from inbox_files
