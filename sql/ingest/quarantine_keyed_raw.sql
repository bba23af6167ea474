-- The raw text of those rows with each rrn replaced by its person_key (_keyed_raw).
update _quarantined set raw = k.raw
from _keyed_raw k
where _quarantined._file = k._file and _quarantined._row = k._row
