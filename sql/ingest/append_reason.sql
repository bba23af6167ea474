-- Add a reason to the rows of _typed that match {where}; {reason} and {where} are built by
-- ingest/ from the contract (identifiers and fixed snippets), values come as $parameters.
update _typed
set _reasons = list_append(_reasons, {reason})
where {where}
