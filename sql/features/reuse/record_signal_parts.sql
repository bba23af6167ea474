-- record_signal_parts: tonight's fx_signal_parts kept in feature_signal_parts for the night
-- $as_of, for later nights of the month to carry over (features/reuse.py).
insert into feature_signal_parts by name
select $as_of::date as as_of, * from fx_signal_parts
