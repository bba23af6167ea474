-- The delivery dates the files that came to count span (NULLs: none came).
select min(delivery_date), max(delivery_date) from _new_files
