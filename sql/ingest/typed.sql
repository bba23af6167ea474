-- _typed: a batch of one feed's deliveries typed per its contract, with `_reasons` for the rows
-- that break it; `_file` numbers the delivery in the batch, `_row` the row in its file, and
-- `_delivery_date` is the file's delivery date (the point-in-time checks compare with it).
-- {table}: `temp table _typed`, or `table <schema>._typed` in the schema of a batch read ahead
-- (ingest/batches.py).
-- Built from ingest/casting.py: {cleaned}, {joins}, {typed}, {checks}, {outputs}, {texts}
-- are SQL generated from the contract (identifiers and fixed snippets, never values).
-- Identifiers become their pseudonyms through the key tables `_k_<column>` (ingest/keys.py).
-- `_v_` texts stay for validation only: _typed is in memory, never stored.
create or replace {table} as
with

cleaned as (
    select *, {cleaned} from _incoming
),

typed as (
    select *, {typed} from cleaned {joins}
),

checked as (
    select *, list_filter([{checks}], lambda x: x is not null) as _reasons from typed
),

final as (
    select
        _file,
        _row,
        _delivery_date,
        {outputs},
        {texts},
        -- a value shown in a reason is never a clear rrn
        list_transform(_reasons, lambda x: regexp_replace(x, '{rrn}', '[rrn]', 'g')) as _reasons
    from checked
)

select * from final
