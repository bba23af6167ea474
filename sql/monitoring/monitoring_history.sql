-- monitoring_history: the rows of checks $checks over the $days nights up to $as_of, for the
-- report's charts (volumes per feed, list overlap, live precision).
with

recent as (
    select * from monitoring
    where night > $as_of::date - $days and night <= $as_of
        and list_contains($checks, check_name)
),

final as (
    select night, check_name, subject, value, baseline, severity from recent
)

select * from final order by check_name, subject, night
