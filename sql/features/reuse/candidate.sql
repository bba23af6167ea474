-- The latest stored snapshot before $as_of, in the same calendar month, from the same registry
-- snapshot and the same monthly-feature code: the only night whose monthly features can be
-- carried over to $as_of (the windows count whole calendar months ending with $as_of's month).
with

builds as (
    select * from feature_builds
    where as_of < $as_of
      and date_trunc('month', as_of) = date_trunc('month', $as_of::date)
),

latest as (
    select * from builds order by as_of desc limit 1
),

final as (
    select as_of, monthly_columns, cross_feed_columns
    from latest
    where registry_date = $registry_date and code_hash = $code_hash
)

select * from final
