-- The snapshots from $changed_from on in the stg_ table {stg}: their delivery date and rows.
insert into history_snapshots
select $feed, delivery_date, count(*), $sha
from {stg}
where delivery_date >= $changed_from
group by delivery_date
order by delivery_date
