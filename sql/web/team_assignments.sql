-- team_assignments: a team's open assignments of the night, in the sheet's priority order.
with

assignments as (
    select * from read_parquet($assignments)
    where emd_code = $emd
),

ranked as (
    select * from read_parquet($ranked)
    where emd_code = $emd
),

final as (
    select
        row_number() over (order by a.team_rank nulls last, a.household_key) as priority,
        a.household_key, a.assigned, a.exploration, r.tier, r.score, r.rank,
        r.reasons_ko, r.reasons_en, r.new_since_last_run
    from assignments a
    left join ranked r using (household_key)
)

select * from final
order by priority
