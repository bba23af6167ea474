-- A reader table ({table}) copied from the warehouse.
create table {table} as from w.{table}
