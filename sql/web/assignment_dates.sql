-- assignment_dates: the open assignments of one household to one team (for checking a result).
with

assignments as (
    -- nights published before issue 21 name the day an assignment was made `assigned`
    select household_key, emd_code,
           columns(lambda c: c in ('assigned', 'assigned_on')) as assigned_on
    from read_parquet($assignments)
),

final as (
    select assigned_on from assignments
    where household_key = $key and emd_code = $emd
)

select * from final
