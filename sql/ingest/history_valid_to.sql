-- The versions the last unchanged snapshot lists get the valid_to of the new history.
update {history} set valid_to = n.valid_to
from _history_new n
where {history}.rowid = n.history_row and {history}.valid_to is distinct from n.valid_to
