-- ranked_keys: the ranks on one page, in the order asked for. Only the sort and filter
-- columns are read; the page's rows are fetched by rank afterwards (ranked_rows.sql).
-- $emd_from, $emd_to: the teams a team-sorted page spans (its offset counts from the first
-- row of $emd_from), so a deep page sorts one or two teams' rows, not the whole list.
select rank
from ranked_filtered($ranked, $sigungu, $emd, $tier, $reason, $new_only, $exploration_only, $status)
where ($emd_from is null or emd_code >= $emd_from)
  and ($emd_to is null or emd_code <= $emd_to)
order by
    case when $sort = 'team' then emd_code end,
    case when $sort = 'team' then team_rank end,
    case when $sort = 'rank_desc' then -rank else rank end
limit $limit offset $offset
