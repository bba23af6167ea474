-- The rows of the files that came to count join the stg_ table; the date range lets the
-- staging query read only their deliveries.
insert into {table}
select * from ({query})
where delivery_date between $first and $last
  and file_id in (select file_id from _new_files)
