-- The latest stored snapshot before $as_of, in the same calendar month, from the same registry
-- snapshot and the same monthly-feature code, with its fx_signal_parts still stored: the only
-- night whose monthly features can be carried over to $as_of (the windows count whole calendar
-- months ending with $as_of's month).
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
    select as_of, monthly_columns
    from latest
    where registry_date = $registry_date and code_hash = $code_hash
      -- parts are dropped once a later month is stored; a night without signals has none
      and exists (from feature_signal_parts p where p.as_of = latest.as_of)
)

select * from final
