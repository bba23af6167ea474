-- ranked_filtered: the night's ranked list with the analyst's filters (NULL = no filter), as a
-- table macro: every ranked_* query reads through it, so they filter alike. DuckDB pushes the
-- filters into the Parquet scan and reads only the columns a query needs.
create or replace macro ranked_filtered(
    p_ranked, p_sigungu, p_emd, p_tier, p_reason, p_new_only, p_exploration_only, p_status
) as table
    select *
    from read_parquet(p_ranked)
    where (p_sigungu is null or sigungu_code = p_sigungu)
      and (p_emd is null or emd_code = p_emd)
      and (p_tier is null or tier >= p_tier)
      and (p_reason is null or list_contains(reasons, p_reason))
      and (not p_new_only or new_since_last_run)
      and (not p_exploration_only or exploration)
      and (p_status = 'all'
           or (p_status = 'assigned' and assigned)
           or (p_status = 'excluded' and excluded_reason is not null))
