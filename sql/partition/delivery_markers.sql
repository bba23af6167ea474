-- delivery_markers: one keyless row per delivery date of a feed up to $as_of. Every partition
-- gets them, so population-wide "latest delivery" values (feed freshness, the latest benefits
-- snapshot) are the same in each partition as in the whole warehouse. No key: they join nothing.
with

source as (
    select * from part_source where delivery_date <= $as_of
),

final as (
    select distinct delivery_date from source
)

select * from final
