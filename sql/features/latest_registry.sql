-- latest_registry: the delivery date of the registry snapshot latest at $as_of (NULL if none).
select max(delivery_date) as delivery_date from stg_registry where delivery_date <= $as_of
