-- kept_members: fx_members narrowed to the households a build keeps (fx_kept_households), so
-- every relation after it scans only theirs (features/build.py: build_snapshot's `households`).
delete from fx_members m
where not exists (select 1 from fx_kept_households k where k.household_key = m.household_key)
