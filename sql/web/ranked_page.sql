-- ranked_page: one page of the night's ranked list, filtered and sorted as asked.
-- Filters are parameters (NULL = no filter); `total` counts the filtered rows for paging.
with

ranked as (
    select * from read_parquet($ranked)
),

filtered as (
    select *
    from ranked
    where ($sigungu is null or sigungu_code = $sigungu)
      and ($emd is null or emd_code = $emd)
      and ($tier is null or tier >= $tier)
      and ($reason is null or list_contains(reasons, $reason))
      and (not $new_only or new_since_last_run)
      and (not $exploration_only or exploration)
      and ($status = 'all'
           or ($status = 'assigned' and assigned)
           or ($status = 'excluded' and excluded_reason is not null))
),

final as (
    select
        rank, household_key, emd_code, sigungu_code, tier, score, team_rank,
        reasons, reasons_ko, reasons_en, excluded_reason, assigned, exploration,
        new_since_last_run,
        count(*) over () as total
    from filtered
)

select * from final
order by
    case when $sort = 'team' then emd_code end,
    case when $sort = 'team' then team_rank end,
    case when $sort = 'rank_desc' then -rank else rank end
limit $limit offset $offset
