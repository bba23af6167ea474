-- Versions first listed after $after are written again.
delete from {history} where valid_from > $after
