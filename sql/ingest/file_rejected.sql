-- Every still-clean row of a rejected file gets the file-level $reason: it loads no row.
update _typed
set _reasons = list_append(_reasons, $reason)
where _file = $file and len(_reasons) = 0
