-- household_features: one row per household living in the area at $as_of.
-- Point-in-time rule: only rows delivered on or before $as_of count (delivery_date from the
-- file name), and the household's membership comes from the latest registry snapshot at $as_of.
-- Monthly feeds lag a month or more, so windows are on the data month (`month`), bounded by
-- what had been delivered.
with

registry as (
    select * from stg_registry where delivery_date <= $as_of
),

snapshot as (
    select * from registry
    where delivery_date = (select max(delivery_date) from registry)
      and not coalesce(deceased, false)
),

person_household as (
    select person_key, household_key from snapshot
),

households as (
    select
        household_key,
        any_value(emd_code order by relation = 'head' desc, person_key) as emd_code,
        count(*)::integer as members,
        -- exact age in whole years at $as_of
        max(date_diff('year', birth_date, $as_of::date)
            - case when strftime(birth_date, '%m%d') > strftime($as_of::date, '%m%d') then 1 else 0 end)
            filter (where relation = 'head')::integer as head_age,
        count(*) filter (where date_diff('day', birth_date, $as_of::date) < 18 * 365.25)::integer as children,
        bool_or(coalesce(disabled, false)) as any_disabled
    from snapshot
    group by household_key
),

window_start as (
    -- first day of the month three months before $as_of's month: the "recent" window
    select date_trunc('month', $as_of::date) - interval 3 month as recent,
           date_trunc('month', $as_of::date) - interval 6 month as half_year
),

utility_rows as (
    select person_key, month, arrears_months, cutoff, 'kepco' as feed from stg_kepco where delivery_date <= $as_of
    union all
    select person_key, month, arrears_months, cutoff, 'water' from stg_water where delivery_date <= $as_of
    union all
    select person_key, month, arrears_months, cutoff, 'gas' from stg_gas where delivery_date <= $as_of
),

utilities as (
    select
        ph.household_key,
        max(u.arrears_months) filter (where u.month >= w.recent)::integer as utility_arrears_months,
        bool_or(coalesce(u.cutoff, false)) filter (where u.month >= w.half_year) as utility_cutoff_6m
    from utility_rows u
    join person_household ph using (person_key)
    cross join window_start w
    group by ph.household_key
),

nhis as (
    select ph.household_key,
           max(n.premium_arrears_months)::integer as nhis_arrears_months,
           bool_or(coalesce(n.catastrophic_medical, false)) as catastrophic_medical
    from stg_nhis n
    join person_household ph using (person_key)
    cross join window_start w
    where n.delivery_date <= $as_of and n.month >= w.recent
    group by ph.household_key
),

telecom_credit as (
    select ph.household_key,
           max(arrears_months)::integer as telecom_arrears_months,
           null::integer as credit_delinquency_days
    from stg_telecom t
    join person_household ph using (person_key)
    cross join window_start w
    where t.delivery_date <= $as_of and t.month >= w.recent
    group by ph.household_key
    union all
    select ph.household_key, null, max(delinquency_days)::integer
    from stg_credit c
    join person_household ph using (person_key)
    cross join window_start w
    where c.delivery_date <= $as_of and c.month >= w.recent
    group by ph.household_key
),

debts as (
    select household_key,
           max(telecom_arrears_months) as telecom_arrears_months,
           max(credit_delinquency_days) as credit_delinquency_days
    from telecom_credit
    group by household_key
),

housing as (
    select h.household_key, max(h.arrears_months)::integer as housing_arrears_months
    from stg_housing h
    cross join window_start w
    where h.delivery_date <= $as_of and h.month >= w.recent
    group by h.household_key
),

job_loss as (
    select ph.household_key, true as job_loss_6m
    from stg_employment e
    join person_household ph using (person_key)
    where e.delivery_date <= $as_of
      and e.event = 'job_loss'
      and e.event_date > $as_of::date - interval 183 day
    group by ph.household_key
),

referrals as (
    select household_key, count(*)::integer as referrals_90d
    from stg_referrals
    where delivery_date <= $as_of
      and referral_date > $as_of::date - interval 90 day
    group by household_key
),

benefits as (
    -- benefits is a full monthly snapshot: the latest delivery at $as_of is who is supported now
    select household_key, true as active_benefit
    from stg_benefits
    where delivery_date = (select max(delivery_date) from stg_benefits where delivery_date <= $as_of)
      and (end_date is null or end_date > $as_of::date)
    group by household_key
),

final as (
    select
        h.household_key,
        h.emd_code,
        left(h.emd_code, 5) as sigungu_code,
        $as_of::date as as_of,
        h.members,
        h.head_age,
        h.members = 1 as living_alone,
        h.members = 1 and h.head_age >= 65 as older_alone,
        h.children,
        h.any_disabled,
        coalesce(u.utility_arrears_months, 0) as utility_arrears_months,
        coalesce(u.utility_cutoff_6m, false) as utility_cutoff_6m,
        coalesce(n.nhis_arrears_months, 0) as nhis_arrears_months,
        coalesce(n.catastrophic_medical, false) as catastrophic_medical,
        coalesce(d.telecom_arrears_months, 0) as telecom_arrears_months,
        coalesce(d.credit_delinquency_days, 0) as credit_delinquency_days,
        coalesce(ho.housing_arrears_months, 0) as housing_arrears_months,
        coalesce(j.job_loss_6m, false) as job_loss_6m,
        coalesce(r.referrals_90d, 0) as referrals_90d,
        coalesce(b.active_benefit, false) as active_benefit
    from households h
    left join utilities u using (household_key)
    left join nhis n using (household_key)
    left join debts d using (household_key)
    left join housing ho using (household_key)
    left join job_loss j using (household_key)
    left join referrals r using (household_key)
    left join benefits b using (household_key)
)

select * from final
