-- A file's fingerprint: size, mtime and sha256.
insert into inbox_files values ($1, $2, $3, $4)
