-- A file's fingerprint is replaced, or forgotten (moved out of the inbox).
delete from inbox_files where path = $1
