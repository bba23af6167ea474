-- score_carry_update: the rows of the households scored again tonight, or gone from the
-- registry (score_carry_stale), replaced by tonight's rows of the scored again
-- (score_carry_frame); the carried rows stay as they are (models/score_carry.py).
delete from score_carry
where household_key in (select household_key from score_carry_stale);

insert into score_carry by name
select * from score_carry_frame;
