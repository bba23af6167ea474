-- The versions first listed after the last unchanged snapshot.
insert into {history} by name
select * exclude (history_row) from _history_new
where history_row is null
order by valid_from
