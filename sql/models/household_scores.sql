-- household_scores: every household of the night with its score, rank (1 = highest in the whole
-- list, ties by household_key), team_rank (within emd_code), reasons, summary and risk tier, as
-- ranked by models/household_scores.py (its one writer), in the order it ranked them.
create or replace table household_scores as
select * from household_scores_frame
