-- score_carry: the scores the model $model_id last gave each household, with the hash of the
-- inputs they were computed from (models/score_carry.py).
select household_key, input_hash, probability, tier, reasons, reasons_ko, reasons_en, model_id
from score_carry
where model_id = $model_id
