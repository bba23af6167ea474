-- changed_feeds: the monthly feeds ($feeds) whose features at $as_of may differ from those stored
-- for $previous, an earlier night of the same month and registry snapshot: a file of theirs
-- differs (a new delivery, a late file, a `_v2` that replaced its `_v1`) or their stale flag
-- flipped. The other feeds' features are those of $previous. Needs temp table fx_stale_flags.
with

now_files as (
    select feed, file_id from current_files
    where delivery_date <= $as_of and list_contains($feeds, feed)
),

then_files as (
    select feed, file_id from feature_inputs
    where as_of = $previous and list_contains($feeds, feed)
),

changed_files as (
    select feed
    from (
        (from now_files except from then_files)
        union all
        (from then_files except from now_files)
    )
),

now_flags as (
    unpivot (select columns('_stale$') from fx_stale_flags)
    on columns(*) into name flag value stale
),

then_flags as (
    unpivot (select columns('_stale$') from household_features where as_of = $previous limit 1)
    on columns(*) into name flag value stale
),

changed_flags as (
    select replace(flag, '_stale', '') as feed
    from now_flags n
    full join then_flags t using (flag)
    where n.stale is distinct from t.stale
),

final as (
    select distinct feed
    from (from changed_files union all from changed_flags)
    where list_contains($feeds, feed)
)

select * from final
