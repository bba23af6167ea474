-- narrowed_feed: a training run's temp copy of stg_{feed} (it shadows the view while the run
-- builds its features, models/training_set.py): the rows delivered by $last_as_of of the
-- {key}s in temp table {keys} only, plus one keyless row per delivery date{sentinel_note}
-- so that what the feature SQL reads about the feed as a whole (its latest delivery, the
-- latest benefits snapshot) is what the full view says. Keyless rows join no household.
-- {feed}, {key}, {keys}, {sentinel} are identifiers filled in by the caller, never values.
select * from main.stg_{feed}
where delivery_date <= $last_as_of and {key} in (select {key} from {keys})
union all by name
select distinct {sentinel} from main.stg_{feed}
where delivery_date <= $last_as_of
