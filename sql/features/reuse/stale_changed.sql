-- Whether a monthly feed's stale flag at $as_of (fx_stale_flags) differs from the one stored
-- with the $previous snapshot, or $previous lacks a household of tonight's: 0 or more.
with

now_flags as (
    select * from fx_stale_flags
),

then_flags as (
    select * from household_features where as_of = $previous limit 1
),

flags as (
    select count(*) as changed
    from now_flags n, then_flags t
    where n.kepco_stale is distinct from t.kepco_stale
       or n.water_stale is distinct from t.water_stale
       or n.gas_stale is distinct from t.gas_stale
       or n.nhis_stale is distinct from t.nhis_stale
       or n.nps_stale is distinct from t.nps_stale
       or n.telecom_stale is distinct from t.telecom_stale
       or n.credit_stale is distinct from t.credit_stale
       or n.housing_stale is distinct from t.housing_stale
),

missing as (
    select count(*) as changed
    from fx_composition c
    anti join (select household_key from household_features where as_of = $previous) p
        using (household_key)
)

select (select changed from flags) + (select changed from missing) as changed
