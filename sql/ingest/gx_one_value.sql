-- One value of the column {column} of _typed, a non-NULL one if it has one.
select {column} as v from _typed order by {column} is null limit 1
