-- One ledger row, its fields by name.
insert into ingest_ledger ({names}) values ({values})
