-- visit_results_unchanged: how many of the returned rows (temp `returned_frame`) are stored
-- already exactly as returned, keyed by (household_key, emd_code, assigned_date).
with

returned as (
    select * from returned_frame
),

stored as (
    select * from visit_results
),

final as (
    select count(*) as unchanged
    from returned n
    join stored o
      on n.household_key = o.household_key and n.emd_code = o.emd_code
     and n.assigned_date = o.assigned_date
    where n.visit_date is not distinct from o.visit_date and n.outcome = o.outcome
      and list_sort(n.services) = list_sort(o.services)
      and n.visited_by is not distinct from o.visited_by
)

select * from final
