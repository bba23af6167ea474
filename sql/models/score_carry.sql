-- score_carry: the scores last given each household by $scored_by (a model id and a hash of the
-- catalog's reason texts), with the hash of the inputs they were computed from
-- (models/score_carry.py).
select household_key, input_hash, probability, tier, reasons, reasons_ko, reasons_en, scored_by
from score_carry
where scored_by = $scored_by
