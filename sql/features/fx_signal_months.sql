-- fx_signal_months: one row per household (`hid`, fx_household_ids), monthly feed and data
-- month: the 12 data months ending with the month of $as_of ($from_delivery is the first day of
-- the first of them).
-- Point-in-time: only rows delivered on or before $as_of, and a
-- person's rows count for the household the registry puts them in at $as_of (fx_members).
-- Monthly feeds lag a month, so the month of $as_of itself usually has no rows yet. A row is
-- delivered after its data month, so rows delivered before $from_delivery (the first day of the
-- first month) cannot be about these months: skipping them is only faster. Only the feeds in
-- $feeds are read: all eight, but on a night that carries the others over (features/reuse.py).
with

bounds as (
    select
        date_trunc('month', $as_of::date)::date as last_month,
        $from_delivery::date as first_month
),

members as (
    select m.person_key, i.hid
    from fx_members m
    join fx_household_ids i using (household_key)
),

-- kepco: a cut-off or a current limiter both count as a power cut-off; usage in kWh
person_rows as (
    select 'kepco' as feed, person_key, month, delivery_date, arrears_months, arrears_amount,
           null::integer as delinquency_days,
           coalesce(cutoff, false) or coalesce(current_limiter, false) as cutoff,
           usage_kwh as usage, null::boolean as flag
    from stg_kepco
    where list_contains($feeds, 'kepco') and delivery_date between $from_delivery and $as_of
    union all
    select 'water', person_key, month, delivery_date, arrears_months, arrears_amount,
           null, coalesce(cutoff, false), null, null
    from stg_water
    where list_contains($feeds, 'water') and delivery_date between $from_delivery and $as_of
    union all
    -- gas usage in m3
    select 'gas', person_key, month, delivery_date, arrears_months, arrears_amount,
           null, coalesce(cutoff, false), usage_m3, null
    from stg_gas
    where list_contains($feeds, 'gas') and delivery_date between $from_delivery and $as_of
    union all
    -- flag: catastrophic medical costs
    select 'nhis', person_key, month, delivery_date, premium_arrears_months,
           premium_arrears_amount, null, null, null, catastrophic_medical
    from stg_nhis
    where list_contains($feeds, 'nhis') and delivery_date between $from_delivery and $as_of
    union all
    -- flag: an emergency loan against the pension
    select 'nps', person_key, month, delivery_date, contribution_arrears_months,
           null, null, null, null, emergency_loan
    from stg_nps
    where list_contains($feeds, 'nps') and delivery_date between $from_delivery and $as_of
    union all
    select 'telecom', person_key, month, delivery_date, arrears_months, arrears_amount,
           null, null, null, null
    from stg_telecom
    where list_contains($feeds, 'telecom') and delivery_date between $from_delivery and $as_of
    union all
    -- flag: a debt-relief plan was dropped
    select 'credit', person_key, month, delivery_date, null, delinquent_amount,
           delinquency_days, null, null, debt_relief_dropped
    from stg_credit
    where list_contains($feeds, 'credit') and delivery_date between $from_delivery and $as_of
),

member_months as (
    -- usage: the largest member meter reading of the month (the meter holder's; a largest
    -- rather than a sum, so a month delivered twice is not counted twice); else the worst value
    select
        m.hid, p.feed, p.month,
        max(p.arrears_months) as arrears_months,
        max(p.arrears_amount) as arrears_amount,
        max(p.delinquency_days) as delinquency_days,
        bool_or(p.cutoff) as cutoff,
        max(p.usage) as usage,
        bool_or(p.flag) as flag
    from person_rows p
    join members m using (person_key)
    cross join bounds b
    where p.month between b.first_month and b.last_month
    group by all
),

-- housing is reported per household (public rent and management fees alike)
housing_months as (
    select
        i.hid, 'housing' as feed, h.month,
        max(h.arrears_months) as arrears_months,
        max(h.arrears_amount) as arrears_amount,
        null::integer as delinquency_days,
        null::boolean as cutoff,
        null::double as usage,
        null::boolean as flag
    from stg_housing h
    join fx_household_ids i using (household_key)
    cross join bounds b
    where h.delivery_date between $from_delivery and $as_of
      and list_contains($feeds, 'housing')
      and h.month between b.first_month and b.last_month
    group by all
),

final as (
    select
        u.*,
        coalesce(u.arrears_months, u.delinquency_days) as arrears_level,
        coalesce(u.arrears_months, 0) > 0
            or coalesce(u.delinquency_days, 0) > 0
            or coalesce(u.cutoff, false) as signal,
        date_diff('month', u.month, b.last_month)::integer as months_back
    from (select * from member_months union all select * from housing_months) u, bounds b
)

select * from final
