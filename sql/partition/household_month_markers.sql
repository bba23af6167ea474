-- household_month_markers: per delivery date and data month of a household-keyed monthly feed
-- (housing) up to $as_of, one keyless row holding the largest value of every column over all rows
-- (fx_signal_months reads housing without the registry): each partition sees the population's
-- newest data month, as person_month_markers does for person-keyed feeds.
with

source as (
    select * from part_source where delivery_date <= $as_of
),

final as (
    select
        delivery_date,
        month,
        max(columns(* exclude (household_key, delivery_date, month)))
    from source
    group by delivery_date, month
)

select * from final
