-- carried_parts: fx_signal_parts of a night that rebuilt only the monthly feeds $feeds: theirs
-- from tonight's rows (fx_signal_parts_rebuilt, empty when none was rebuilt), every other
-- feed's as stored for $previous, whose files and stale flags they still have.
with

rebuilt as (
    select * from fx_signal_parts_rebuilt
),

carried as (
    select household_key, feed, signal_6m, first_signal_month
    from feature_signal_parts
    where as_of = $previous and not list_contains($feeds, feed)
),

final as (
    from rebuilt
    union all by name
    from carried
)

select * from final
