-- fx_members: who belongs to which household at $as_of, from the registry snapshot delivered on
-- $registry_date, the latest on or before $as_of (features/build.py finds it), as the registry's
-- history gives it (the versions valid then). A person who moved counts where the registry at
-- $as_of puts them. One row per person: the history keeps one version per person and date
-- (sql/staging/registry_history.sql), so no window is needed here (it cost 1-2 s at 1M).
with

snapshot as (
    select * from registry_history
    where valid_from <= $registry_date and coalesce(valid_to, 'infinity'::date) > $registry_date
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
