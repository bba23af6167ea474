-- A feed's pending batch ({table}, in the in-memory sagak_pending): the rows of its files read
-- so far, as text.
create table if not exists {table} (
    _file integer,
    _delivery_date date,
    _row bigint,
    {columns}
)
