-- fx_household_ids: an integer per household the monthly features count for (the registry's at
-- $as_of, and those of housing rows in the window, which fx_signal_months reads without the
-- registry). The monthly feeds' rows are grouped by it rather than by the 32-character key: at a
-- million households, grouping 16 million household-months by text took twice as long and
-- spilled. Internal to the monthly features: what they give carries household_key again.
with

keys as (
    select household_key from fx_members
    union
    select household_key from stg_housing
    where list_contains($feeds, 'housing') and delivery_date between $from_delivery and $as_of
),

final as (
    select household_key, row_number() over (order by household_key)::integer as hid
    from keys
)

select * from final
