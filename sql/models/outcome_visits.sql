-- outcome_visits: the results handed back by $as_of for households put on a published list:
-- one row per household and night of assignment (assigned_date in $nights), the deciding
-- outcome first (confirmed_crisis, then not_in_need, then the newest other), with its label
-- (1 confirmed_crisis, 0 not_in_need, NULL for an attempt without a finding).
with

returned as (
    select * from visits
    where reported_on <= $as_of and list_contains($nights, assigned_date)
),

deciding as (
    select * from returned
    qualify row_number() over (
        partition by household_key, assigned_date
        order by case outcome when 'confirmed_crisis' then 1 when 'not_in_need' then 2 else 3 end,
                 reported_on desc, visit_date desc nulls last
    ) = 1
),

final as (
    select
        household_key,
        assigned_date as as_of,
        case outcome when 'confirmed_crisis' then 1 when 'not_in_need' then 0 end as label,
        outcome,
        reported_on
    from deciding
)

select * from final
