-- registry_markers: the marker person '~partition-marker' on every registry snapshot up to $as_of:
-- deceased and in no household, so fx_members knows them (month markers join through them) while
-- fx_composition, which counts the living, never sees them.
with

snapshots as (
    select delivery_date from history_snapshots
    where feed = 'registry' and delivery_date <= $as_of
),

final as (
    select '~partition-marker' as person_key, true as deceased, delivery_date
    from snapshots
)

select * from final
