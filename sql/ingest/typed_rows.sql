-- The rows of the batch.
select count(*) from _typed
