-- The rows of the files that no longer count leave the stg_ table {table}.
delete from {table} where file_id in (select file_id from _gone_files)
