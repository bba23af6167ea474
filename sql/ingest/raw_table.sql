-- raw_<feed> ({table}): the stored contract columns, then file lineage.
create table if not exists {table} ({columns})
