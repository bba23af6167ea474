-- record_build: the row of feature_builds for the night $as_of (features/reuse.py).
insert into feature_builds
values ($as_of, $registry_date, $code_hash, $monthly, $rebuilt, $from)
