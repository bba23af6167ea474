-- list_overlap: tonight's top of the list (household_scores) against last night's published
-- list ($previous, its ranked.parquet): per team (capacities in temp table monitoring_capacity)
-- the team's top `capacity` by team_rank, and for the whole list the top sum-of-capacities by
-- rank; their Jaccard overlap and the share of each top in tiers 16-20.
with

capacity as (
    select * from monitoring_capacity
),

tonight as (
    select household_key, emd_code, rank, team_rank, tier from household_scores
),

last_night as (
    select household_key, emd_code, rank, team_rank, tier from read_parquet($previous)
),

tops as (
    select 'tonight' as night, t.household_key, t.emd_code, t.tier,
        t.rank <= $total as in_list, t.team_rank <= c.capacity as in_team
    from tonight t left join capacity c using (emd_code)
    union all
    select 'last', l.household_key, l.emd_code, l.tier,
        l.rank <= $total, l.team_rank <= c.capacity
    from last_night l left join capacity c using (emd_code)
),

by_subject as (
    select 'all' as subject, night, household_key, tier from tops where in_list
    union all
    select emd_code, night, household_key, tier from tops where in_team
),

paired as (
    select
        subject,
        t.household_key is not null as on_tonight,
        l.household_key is not null as on_last,
        t.tier as tier_tonight,
        l.tier as tier_last
    from (select * from by_subject where night = 'tonight') t
    full join (select * from by_subject where night = 'last') l using (subject, household_key)
),

final as (
    select
        subject,
        count(*) filter (where on_tonight) as tonight,
        count(*) filter (where on_last) as last_night,
        count(*) filter (where on_tonight and on_last) as common,
        count(*) filter (where on_tonight and on_last) / nullif(count(*), 0) as jaccard,
        avg((tier_tonight >= 16)::integer) as top_tier_share,
        avg((tier_last >= 16)::integer) as top_tier_share_last
    from paired
    group by subject
)

select * from final
order by subject = 'all' desc, subject
