-- {table}: `temp table _k_<column>` or `table <schema>._k_<column>` (ingest/batches.py): the distinct
-- cleaned values of one identifier column of _incoming and their pseudonyms: the first
-- {key_chars} hex of HMAC-SHA256(secret, prefix || value), computed in DuckDB as
-- sha256(outer pad || sha256(inner pad || message)) (RFC 2104), exactly as
-- sagak.privacy.pseudonym does in Python. $inner and $outer are the secret's padded keys.
-- {cleaned}: the column's cleaning expression, naming its result {text}; {message}: the text
-- hashed after the prefix; {value}, {key}: the output column names; {ok}: whether the text has
-- the identifier's form ({form}, ingest/casting.py: IDENTIFIER_FORMS), judged here once per
-- distinct value rather than on every row of the batch. Keys are made for every value, formed
-- or not: a quarantined row keeps its identifier as a key.
create or replace {table} as
with

-- materialized: inlined, the filter below is pushed under the distinct and the cleaning
-- expression runs on every row again (5x slower on a registry batch)
values_ as materialized (
    select distinct {cleaned} from _incoming
),

final as (
    select
        {text} as {value},
        substr(
            sha256($outer || unhex(sha256($inner || encode($prefix || {message})))),
            1,
            {key_chars}
        ) as {key},
        coalesce({form}, false) as {ok}
    from values_
    where {text} is not null and {text} <> ''
)

select * from final
