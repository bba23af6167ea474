-- Whether the reference feed {reference} delivered anything on or before the delivery date.
select count(*) from (
    select 1 from {reference} where delivery_date <= $delivery_date limit 1
)
