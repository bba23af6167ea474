-- audit_attributes: the groups a household belongs to at $as_of, for the fairness audit, from the
-- latest registry snapshot delivered by $as_of (never from anything later): city, the head's
-- age band and sex, household type and whether any member has a disability.
with

latest as (
    select max(delivery_date) as registry_date
    from history_snapshots
    where feed = 'registry' and delivery_date <= $as_of
),

snapshot as (
    -- the versions of the registry's history valid at that snapshot: its rows
    select h.*
    from registry_history h, latest l
    where h.valid_from <= l.registry_date
      and coalesce(h.valid_to, 'infinity'::date) > l.registry_date
      and not coalesce(h.deceased, false)
),

households as (
    select
        household_key,
        count(*) as members,
        bool_or(coalesce(disabled, false)) as any_disabled,
        max(case when relation = 'head' then sex end) as head_sex,
        max(case when relation = 'head' then date_diff('year', birth_date, $as_of::date) end)
            as head_age,
        count(*) filter (where date_diff('year', birth_date, $as_of::date) < 18) as children,
        count(*) filter (where date_diff('year', birth_date, $as_of::date) >= 65) as elderly
    from snapshot
    group by household_key
),

final as (
    select
        household_key,
        $as_of::date as as_of,
        case
            when head_age is null then 'unknown'
            when head_age < 40 then '<40'
            when head_age < 65 then '40-64'
            when head_age < 80 then '65-79'
            else '80+'
        end as age_band,
        coalesce(head_sex, 'unknown') as head_sex,
        case
            when members = 1 and elderly = 1 then 'older person alone'
            when members = 1 then 'single person'
            when children > 0 and members - children = 1 then 'one adult with children'
            when children > 0 then 'family with children'
            when elderly = members then 'older people only'
            else 'adults only'
        end as household_type,
        case when any_disabled then 'yes' else 'no' end as disability
    from households
)

select * from final
