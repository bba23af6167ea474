-- assignments_close_gone: close at $as_of the open assignments of households that died or moved
-- away (temp `gone_frame`: household_key, excluded_reason), left the scores or moved to another
-- team's area (both as moved).
update assignments a
set status = 'closed', closed_on = $as_of,
    outcome = case g.excluded_reason when 'deceased' then 'deceased' else 'moved' end
from (
    select s.household_key, coalesce(g.excluded_reason, 'moved_out') as excluded_reason
    from assignments s
    left join gone_frame g using (household_key)
    left join household_scores h using (household_key)
    where s.status = 'open'
      and (g.household_key is not null or h.household_key is null
           or h.emd_code <> s.emd_code)
) g
where a.status = 'open' and a.household_key = g.household_key
