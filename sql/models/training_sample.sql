-- training_sample: the households a training run may build features for, once for all its
-- as-of dates: every household with a visit result (a label at some date) and a fixed random
-- share ($share) of every household the registry listed by $last_as_of: those whose md5 of
-- key and $salt, as a fraction of 2^64, is below $share. `sampled` marks the latter; `draw` is
-- that fraction, so a smaller share (the training dates') is a subset of the same draw.
with

registry_households as (
    -- listed in a snapshot by $last_as_of: a version of the registry's history valid from then
    select distinct household_key from registry_history where valid_from <= $last_as_of
),

visited as (
    select distinct household_key from visits
),

final as (
    select
        coalesce(r.household_key, v.household_key) as household_key,
        coalesce($share >= 1 or md5_number_upper(r.household_key || $salt) / 2.0 ^ 64 < $share, false)
            as sampled,
        md5_number_upper(coalesce(r.household_key, v.household_key) || $salt) / 2.0 ^ 64 as draw
    from registry_households r
    full join visited v using (household_key)
    where v.household_key is not null
       or $share >= 1 or md5_number_upper(r.household_key || $salt) / 2.0 ^ 64 < $share
)

select * from final
