-- Whether reference_keys holds any key of the reference feed's column.
select count(*) from (
    select 1 from reference_keys
    where feed = $feed and key_column = $key_column
    limit 1
)
