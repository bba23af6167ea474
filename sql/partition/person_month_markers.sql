-- person_month_markers: per delivery date and data month of a person-keyed monthly feed up to
-- $as_of, one row of the marker person holding the largest value of every column over the
-- registry members' rows. fx_signal_features takes each feed's newest data month over the whole
-- population (where an arrears streak must end); these rows pass the same filters exactly when
-- some member's row does, so each partition sees the population's month. The marker person is
-- in no household, so nothing else changes.
with

source as (
    select * from part_source where delivery_date <= $as_of
),

members as (
    select person_key from fx_members
),

member_rows as (
    select * from source semi join members using (person_key)
),

final as (
    select
        '~partition-marker' as person_key,
        delivery_date,
        month,
        max(columns(* exclude (person_key, delivery_date, month)))
    from member_rows
    group by delivery_date, month
)

select * from final
