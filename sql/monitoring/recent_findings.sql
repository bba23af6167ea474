-- recent_findings: every row of the last $nights nights monitored (on or before $as_of, if
-- given), newest night first, the worst findings first within a night.
with

nights as (
    select distinct night from monitoring
    where $as_of::date is null or night <= $as_of::date
    order by night desc
    limit $nights
),

final as (
    select m.*
    from monitoring m
    semi join nights using (night)
)

select * from final
order by
    night desc,
    case severity when 'critical' then 0 when 'warning' then 1 else 2 end,
    stage, check_name, subject
