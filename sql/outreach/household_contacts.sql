-- household_contacts: one row per household, the head's contact details at $as_of.
-- Point-in-time rule: the latest registry snapshot delivered on or before $as_of, and the
-- contacts delivered with that same snapshot (same delivery date, same file), never a later one.
-- Names, phones and addresses live in the contacts store (attached read-only as
-- sagak_contacts) and only ever leave it on the household's own team's sheet.
-- With $restricted, only the households in temp table contact_households (tonight's open
-- assignments and escalations: a few thousand of a million) are looked up.
-- $registry_date (features.build.latest_registry_date) and $file_id (contact_snapshot.sql) are
-- given as values, so that DuckDB reads only that snapshot's row groups of the registry and of
-- the contacts store.
with

snapshot as (
    -- the versions of the registry's history valid at $registry_date: that snapshot's rows
    select * from registry_history
    where valid_from <= $registry_date and coalesce(valid_to, 'infinity'::date) > $registry_date
      and not coalesce(deceased, false)
      and (not $restricted or household_key in (select household_key from contact_households))
),

snapshot_contacts as (
    -- a person repeated in the file must not repeat the household on a sheet
    select c.person_key, c.name, c.phone, c.address
    from sagak_contacts.contacts c
    where c.delivery_date = $registry_date and c.file_id = $file_id
      and (not $restricted or c.person_key in (select person_key from snapshot))
    qualify row_number() over (
        partition by c.person_key order by c.name, c.phone, c.address
    ) = 1
),

heads as (
    -- the head; if the head is gone from the snapshot, the oldest member still living there
    select household_key, person_key, emd_code
    from snapshot
    qualify row_number() over (
        partition by household_key
        order by relation = 'head' desc, birth_date nulls last, person_key
    ) = 1
),

final as (
    select h.household_key, h.emd_code, c.name, c.phone, c.address
    from heads h
    left join snapshot_contacts c using (person_key)
)

select * from final
