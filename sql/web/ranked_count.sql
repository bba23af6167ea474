-- ranked_count: how many households the filters keep (for paging).
select count(*) as total
from ranked_filtered($ranked, $sigungu, $emd, $tier, $reason, $new_only, $exploration_only, $status)
