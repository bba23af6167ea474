-- ranked_team_counts: households the filters keep per team, in team order; the team sort
-- pages through these so that a deep page sorts one team's rows, not the whole list.
select emd_code, count(*) as households
from ranked_filtered($ranked, $sigungu, $emd, $tier, $reason, $new_only, $exploration_only, $status)
group by emd_code
order by emd_code
