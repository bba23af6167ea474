-- assignments_insert: tonight's picks (temp `picks_frame`) as open assignments made on $as_of.
insert into assignments
select household_key, emd_code, $as_of, team_rank, exploration, 'open', null, null
from picks_frame
