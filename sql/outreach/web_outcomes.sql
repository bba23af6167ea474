-- web_outcomes: every visit result known by the night (reported on or before it), for the
-- household page's outcome history; no free text, no contact details.
with

known as (
    select household_key, emd_code, assigned_date, visit_date, outcome, services,
           selected_by, exploration, reported_on
    from visits
    where reported_on <= $as_of
),

final as (
    select * from known
    order by household_key, assigned_date, reported_on
)

select * from final
