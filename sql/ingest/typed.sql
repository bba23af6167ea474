-- _typed: one delivery's rows typed per its contract, with `_reason` for the rows that break it.
-- Built from ingest/casting.py: {cleaned}, {typed}, {checks}, {outputs}, {record} are SQL
-- expressions generated from the contract (identifiers and fixed snippets, never values).
-- Identifiers are pseudonymised here, in bulk: substr(sha256($pepper || '|' || value), 1, 16).
create or replace temp table _typed as
with

cleaned as (
    select *, {cleaned} from _incoming
),

typed as (
    select *, {typed} from cleaned
),

checked as (
    select *, nullif(concat_ws('; ', {checks}), '') as _reason from typed
),

final as (
    select
        _row,
        {outputs},
        -- a value shown in a reason or record is never a clear rrn
        regexp_replace(_reason, '{rrn}', '[rrn]', 'g') as _reason,
        case when _reason is not null
            then regexp_replace(to_json(struct_pack({record}))::varchar, '{rrn}', '[rrn]', 'g')
        end as _record
    from checked
)

select * from final
