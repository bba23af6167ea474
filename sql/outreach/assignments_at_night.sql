-- assignments_at_night: the assignments as they stood when night $as_of was published, for a
-- night earlier than the newest: those made on or before it, with what later nights closed
-- still open (closed_on is the day a result, an expiry or the registry closed it).
with

made as (
    select * from assignments where assigned_on <= $as_of
),

final as (
    select
        household_key,
        emd_code,
        assigned_on,
        team_rank,
        exploration,
        case when closed_on > $as_of then 'open' else status end as status,
        case when closed_on > $as_of then null else closed_on end as closed_on,
        case when closed_on > $as_of then null else outcome end as outcome
    from made
)

select * from final
