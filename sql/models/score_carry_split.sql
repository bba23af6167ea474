-- score_carry with each household's split signature (models/split_signature.py): the scores
-- last given each household by $scored_by, the hash of the inputs they were computed from, and
-- the hash of where those inputs fall among the model's splits (models/score_carry.py).
select household_key, input_hash, split_hash, probability, tier, reasons, reasons_ko, reasons_en,
       scored_by
from score_carry
where scored_by = $scored_by
