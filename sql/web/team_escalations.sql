-- team_escalations: the team's households taken off its list as unreachable twice (they went
-- to the city's case managers); keys, tier and reasons only.
with

ranked as (
    select * from read_parquet($ranked)
    where emd_code = $emd
),

final as (
    select household_key, tier, rank, reasons_ko, reasons_en
    from ranked
    where excluded_reason = 'escalated'
)

select * from final
order by rank
