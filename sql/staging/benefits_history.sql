-- benefits_history: the benefits snapshots kept as a history (slowly changing dimension type 2),
-- one row per grant (household, programme, start date) and version of its end date. A version
-- is valid from the delivery date of the first snapshot listing it to that of the first later
-- snapshot that does not list it (NULL while the latest snapshot lists it). The benefits at
-- snapshot date R are the versions with valid_from <= R < coalesce(valid_to, 'infinity').
-- This query gives the versions from the snapshots after $after on: those listed at $after
-- (history_row: where they are in benefits_history) carry on with their valid_from; snapshots
-- up to $after are not read again. ingest/history.py writes the result.
with

snapshots as (
    select delivery_date, row_number() over (order by delivery_date) as snapshot_no
    from history_snapshots
    where feed = 'benefits' and delivery_date > $after
),

carried as (
    select
        household_key, program, start_date, end_date,
        valid_from as listed_from,
        0 as snapshot_no,
        rowid as history_row
    from benefits_history
    where valid_from <= $after and coalesce(valid_to, 'infinity'::date) > $after
),

listed as (
    -- a row listed twice in one snapshot is one version
    select distinct
        household_key, program, start_date, end_date,
        delivery_date as listed_from,
        s.snapshot_no,
        null::bigint as history_row
    from stg_benefits
    join snapshots s using (delivery_date)
    where delivery_date > $after
),

islands as (
    -- consecutive snapshots listing the same version: one island, one history row
    select
        *,
        snapshot_no - row_number() over (
            partition by household_key, program, start_date, end_date order by snapshot_no
        ) as island
    from (select * from carried union all select * from listed)
),

versions as (
    select
        household_key, program, start_date, end_date,
        min(listed_from) as valid_from,
        max(snapshot_no) as last_listed,
        max(history_row) as history_row
    from islands
    group by household_key, program, start_date, end_date, island
),

final as (
    select
        v.household_key, v.program, v.start_date, v.end_date, v.valid_from,
        s.delivery_date as valid_to,
        v.history_row
    from versions v
    left join snapshots s on s.snapshot_no = v.last_listed + 1
)

select * from final
