-- contact_snapshot: the registry snapshot the contact details come from at $as_of — its delivery
-- date and the one file whose rows count (stg_registry keeps only the latest version of a
-- delivery date; so do its contacts). No row: no registry delivered by $as_of.
with

latest as (
    select max(delivery_date) as delivery_date
    from stg_registry
    where delivery_date <= $as_of
),

final as (
    select l.delivery_date, f.file_id
    from latest l
    join ingest_ledger f using (delivery_date)
    where f.feed = 'registry' and f.status = 'loaded'
    order by f.version desc, f.file_id
    limit 1
)

select * from final
