-- visit_labels: for each household visited in the first window after $as_of, what that window
-- found: 1 if a visit in ($as_of, $as_of + 90 days] found confirmed_crisis, 0 if one found
-- not_in_need, NULL otherwise, with the reason (the deciding outcome: unreachable, refused,
-- moved, deceased). Labels look forward by design; only results handed back by $known_by (the
-- feedback file's date) count. A visit without a visit_date is placed on its assigned_date.
-- Households without such a visit are not here (household_labels: "not_visited").
with

attempts as (
    select *, coalesce(visit_date, assigned_date) as attempt_date
    from visits
    where reported_on <= $known_by
),

in_window as (
    select * from attempts
    where attempt_date > $as_of::date and attempt_date <= $as_of::date + 90
),

deciding as (
    -- a confirmed crisis outweighs "not in need", which outweighs an attempt without a finding
    select * from in_window
    qualify row_number() over (
        partition by household_key
        order by case outcome when 'confirmed_crisis' then 1 when 'not_in_need' then 2 else 3 end,
                 attempt_date desc, reported_on desc
    ) = 1
),

final as (
    select
        household_key,
        $as_of::date as as_of,
        case outcome when 'confirmed_crisis' then 1 when 'not_in_need' then 0 end as label,
        outcome as label_reason,
        exploration,
        selected_by,
        attempt_date as visit_date,
        reported_on as label_known_on
    from deciding
)

select * from final
