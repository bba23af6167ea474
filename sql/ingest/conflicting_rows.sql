-- Clean rows with the same key but different values: which one is true is unknowable, so all
-- of them are quarantined. {columns}: `_file` (the delivery in the batch) and every contract
-- column; {key}: `_file` and the contract's key, so keys conflict only within a file.
-- Only keys that repeat among the clean rows can conflict; their rows are compared exactly.
update _typed
set _reasons = list_append(
    _reasons, 'conflict: ' || c.versions || ' different rows with the same ' || $key_names
)
from (
    select {key}, count(*) as versions
    from (
        select distinct {columns}
        from _typed
        where len(_reasons) = 0
          and ({key}) in (
              select ({key}) from _typed where len(_reasons) = 0 group by all having count(*) > 1
          )
    )
    group by {key}
    having count(*) > 1
) as c
where len(_typed._reasons) = 0 and {matches}
