-- The files whose rows in the readers' copy ({table}) differ from the warehouse's (w): held by
-- one only, or by both with another number of rows. A row without a file counts under ''.
create or replace temp table reader_files_changed as
with

here as (
    select coalesce(file_id, '') as file_key, count(*) as n from main.{table} group by all
),

there as (
    select coalesce(file_id, '') as file_key, count(*) as n from w.{table} group by all
),

final as (
    select file_key
    from here
    full join there using (file_key)
    where here.n is distinct from there.n
)

select * from final
