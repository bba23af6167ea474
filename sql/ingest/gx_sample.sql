-- One value of the column {column} of _typed, and whether it has a NULL.
select any_value({column}) filter (where {column} is not null), bool_or({column} is null)
from _typed
