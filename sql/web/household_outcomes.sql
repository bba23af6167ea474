-- household_outcomes: every visit result known by the night for the household, newest first.
with

outcomes as (
    select * from read_parquet($outcomes)
),

final as (
    select emd_code, assigned_date, visit_date, outcome, services, selected_by, exploration,
           reported_on
    from outcomes
    where household_key = $key
)

select * from final
order by assigned_date desc, reported_on desc
