-- ranked_rows: the ranked-list rows of the given ranks (one page), pseudonymous columns only.
with

ranked as (
    select * from read_parquet($ranked)
),

final as (
    select
        rank, household_key, emd_code, sigungu_code, tier, score, team_rank,
        reasons, reasons_ko, reasons_en, excluded_reason, assigned, exploration,
        new_since_last_run
    from ranked
    where rank in (select unnest($ranks))
)

select * from final
