-- nights_compared: who entered the lists tonight and who left since the night before, and why:
-- entered with tonight's reasons, left with tonight's exclusion or latest known result.
with

tonight as (
    select * from read_parquet($ranked)
),

before as (
    select * from read_parquet($previous)
),

outcomes as (
    select household_key, arg_max(outcome, reported_on) as outcome
    from read_parquet($outcomes)
    group by household_key
),

entered as (
    select 'entered' as change, t.household_key, t.emd_code, t.rank, t.tier, t.reasons_ko,
           t.reasons_en, b.rank as rank_before, null::varchar as why
    from tonight t left join before b using (household_key)
    where t.assigned and not coalesce(b.assigned, false)
),

left_lists as (
    select 'left' as change, b.household_key, b.emd_code, t.rank, t.tier, t.reasons_ko,
           t.reasons_en, b.rank as rank_before,
           coalesce(t.excluded_reason, o.outcome, case when t.household_key is null
                    then 'not_scored' else 'not_picked' end) as why
    from before b
    left join tonight t using (household_key)
    left join outcomes o using (household_key)
    where b.assigned and not coalesce(t.assigned, false)
),

final as (
    select * from entered
    union all
    select * from left_lists
)

select * from final
order by change, emd_code, rank nulls last, household_key
limit $limit
