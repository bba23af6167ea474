-- training_households: the households a training set builds features for at $as_of (run by
-- features/build.py right after fx_members, the registry at $as_of): every household living in
-- the area with a label at $as_of (fx_visit_labels), weight 1, and the others of
-- fx_training_sample's random draw below $date_share (0: none), each weighing for the unsampled
-- others: weight = others / sampled others. With a share of 1 everyone is built and every weight is 1,
-- as in a full snapshot.
with

population as (
    select distinct household_key from fx_members where not deceased
),

labelled as (
    select household_key
    from fx_visit_labels
    semi join population using (household_key)
    where label is not null
),

others as (
    select household_key from population anti join labelled using (household_key)
),

sampled as (
    select o.household_key
    from others o
    semi join (
        select household_key from fx_training_sample where sampled and draw < $date_share
    ) s using (household_key)
),

counts as (
    select (select count(*) from others) as n_others, (select count(*) from sampled) as n_sampled
),

final as (
    select household_key, 1.0::double as weight from labelled
    union all
    select s.household_key, c.n_others / c.n_sampled as weight
    from sampled s, counts c
)

select * from final
