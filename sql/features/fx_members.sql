-- fx_members: who belongs to which household at $as_of, from the registry snapshot delivered on
-- $registry_date, the latest on or before $as_of (features/build.py finds it), as the registry's
-- history gives it (the versions valid then). A person who moved counts where the registry at
-- $as_of puts them.
with

snapshot as (
    select * from registry_history
    where valid_from <= $registry_date and coalesce(valid_to, 'infinity'::date) > $registry_date
    -- one household per person, should a snapshot list someone twice
    qualify row_number() over (partition by person_key order by household_key, relation) = 1
),

final as (
    select
        person_key,
        household_key,
        relation,
        emd_code,
        coalesce(disabled, false) as disabled,
        coalesce(deceased, false) as deceased,
        -- whole years at $as_of: one less until this year's birthday has come
        (date_diff('year', birth_date, $as_of::date)
            - (strftime(birth_date, '%m%d') > strftime($as_of::date, '%m%d'))::integer
        )::integer as age
    from snapshot
)

select * from final
