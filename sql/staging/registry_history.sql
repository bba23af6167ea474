-- registry_history: the registry kept as a history (slowly changing dimension type 2), one row
-- per person and version of their attributes. A version is valid from the delivery date of the
-- first snapshot listing it to that of the first later snapshot that does not list it (changed
-- or gone; NULL while the latest snapshot lists it). The registry at snapshot date R is every
-- version with valid_from <= R < coalesce(valid_to, 'infinity'): exactly the rows of R.
-- This query gives the versions from the snapshots after $after on: those listed at $after
-- (history_row: where they are in registry_history) carry on with their valid_from; snapshots
-- up to $after are not read again. ingest/history.py writes the result.
with

snapshots as (
    select delivery_date, row_number() over (order by delivery_date) as snapshot_no
    from history_snapshots
    where feed = 'registry' and delivery_date > $after
),

carried as (
    select
        person_key, household_key, relation, birth_date, sex, disabled, emd_code, moved_in,
        deceased,
        valid_from as listed_from,
        0 as snapshot_no,
        rowid as history_row
    from registry_history
    where valid_from <= $after and coalesce(valid_to, 'infinity'::date) > $after
),

listed as (
    -- a row listed twice in one snapshot is one version; a person listed twice with different
    -- rows (ingest quarantines such conflicts) would count once, in the first household by
    -- key and relation: so the registry at any date has one row per person, and readers
    -- (fx_members) need not look for a second
    select distinct
        person_key, household_key, relation, birth_date, sex, disabled, emd_code, moved_in,
        deceased,
        delivery_date as listed_from,
        s.snapshot_no,
        null::bigint as history_row
    from stg_registry
    join snapshots s using (delivery_date)
    where delivery_date > $after
    qualify row_number() over (
        partition by person_key, delivery_date order by household_key, relation
    ) = 1
),

islands as (
    -- consecutive snapshots listing the same version: one island, one history row
    select
        *,
        snapshot_no - row_number() over (
            partition by person_key, household_key, relation, birth_date, sex, disabled,
                emd_code, moved_in, deceased
            order by snapshot_no
        ) as island
    from (select * from carried union all select * from listed)
),

versions as (
    select
        person_key, household_key, relation, birth_date, sex, disabled, emd_code, moved_in,
        deceased,
        min(listed_from) as valid_from,
        max(snapshot_no) as last_listed,
        max(history_row) as history_row
    from islands
    group by person_key, household_key, relation, birth_date, sex, disabled, emd_code, moved_in,
        deceased, island
),

final as (
    select
        v.person_key, v.household_key, v.relation, v.birth_date, v.sex, v.disabled, v.emd_code,
        v.moved_in, v.deceased, v.valid_from,
        s.delivery_date as valid_to,
        v.history_row
    from versions v
    left join snapshots s on s.snapshot_no = v.last_listed + 1
)

select * from final
