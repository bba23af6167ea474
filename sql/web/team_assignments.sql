-- team_assignments: a team's open assignments of the night, in the sheet's priority order.
with

assignments as (
    -- nights published before issue 21 name the day an assignment was made `assigned`
    select household_key, emd_code,
           columns(lambda c: c in ('assigned', 'assigned_on')) as assigned_on,
           team_rank, exploration
    from read_parquet($assignments)
    where emd_code = $emd
),

ranked as (
    select * from read_parquet($ranked)
    where emd_code = $emd
),

final as (
    select
        row_number() over (order by a.team_rank nulls last, a.household_key) as priority,
        a.household_key, a.assigned_on, a.exploration, r.tier, r.score, r.rank,
        r.reasons_ko, r.reasons_en, r.new_since_last_run
    from assignments a
    left join ranked r using (household_key)
)

select * from final
order by priority
