-- A feed's pending batch ({table}): the rows of its files read so far, as text.
create temp table if not exists {table} (
    _file integer,
    _delivery_date date,
    _row bigint,
    {columns}
)
