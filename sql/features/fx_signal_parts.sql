-- fx_signal_parts: per household and monthly feed with a signal in the 12-month window, what
-- fx_cross_feed combines across the feeds. Stored with each night (feature_signal_parts), so a
-- night that rebuilds only the feeds that delivered combines theirs with the other feeds' parts
-- of an earlier night (features/reuse.py).
with

signal_features as (
    select * from fx_signal_features
),

final as (
    select i.household_key, s.feed, s.signal_6m, s.first_signal_month
    from signal_features s
    join fx_household_ids i using (hid)
    -- a feed that never signalled in the window adds nothing across the feeds
    where first_signal_month is not null
)

select * from final
