-- visit_rows: the visit results a partition's features may read (fx_visits), as the rows of a
-- household feed whose delivery date is the day the result was handed back; household_rows.sql
-- then keeps those handed back by the night and gives each its household's partition.
select
    household_key,
    visit_date,
    outcome,
    reported_on,
    reported_on as delivery_date
from visits
