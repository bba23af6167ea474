-- The first delivery date of the reference feed {reference}: keys are checked against it in
-- files delivered on or after that date only.
select min(delivery_date) from {reference}
