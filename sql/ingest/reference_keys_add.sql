-- Add the keys of {source} (rows with delivery_date) to reference_keys for $feed/$key_column,
-- or move a known key's first delivery earlier. {key}: the key column; {source}: a relation.
merge into reference_keys as known
using (
    select {key} as key, min(delivery_date) as first_delivered
    from {source}
    where {key} is not null
    group by {key}
) as found
on known.feed = $feed and known.key_column = $key_column and known.key = found.key
when matched and found.first_delivered < known.first_delivered then
    update set first_delivered = found.first_delivered
when not matched then
    insert (feed, key_column, key, first_delivered)
    values ($feed, $key_column, found.key, found.first_delivered)
