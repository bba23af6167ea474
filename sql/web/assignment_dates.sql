-- assignment_dates: the open assignments of one household to one team (for checking a result).
with

assignments as (
    select * from read_parquet($assignments)
),

final as (
    select assigned from assignments
    where household_key = $key and emd_code = $emd
)

select * from final
