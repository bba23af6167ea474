-- The values the suite found unexpected (_unexpected_values, registered).
create or replace temp table _unexpected as select v from _unexpected_values
