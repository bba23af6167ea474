-- The most frequent quarantine reasons per feed among the night's files, values stripped
-- ($value: the pattern of the value part of a reason) so that like reasons count together.
with

reasons as (
    select feed, regexp_replace(unnest(reasons), $value, '') as reason
    from quarantine
    where list_contains($paths, path)
),

counted as (
    select feed, reason, count(*) as n
    from reasons
    group by feed, reason
),

final as (
    select feed, reason, n
    from counted
    qualify row_number() over (partition by feed order by n desc, reason) <= $top
)

select * from final order by feed, n desc, reason
