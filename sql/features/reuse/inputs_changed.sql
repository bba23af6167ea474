-- How many files of the monthly feeds differ between what $previous was built from and what
-- $as_of would read (new deliveries, late files, a `_v2` that replaced its `_v1`): 0 or more.
with

now_files as (
    select feed, file_id from current_files
    where delivery_date <= $as_of and list_contains($feeds, feed)
),

then_files as (
    select feed, file_id from feature_inputs
    where as_of = $previous and list_contains($feeds, feed)
),

final as (
    select count(*) as changed
    from (
        (from now_files except from then_files)
        union all
        (from then_files except from now_files)
    )
)

select * from final
