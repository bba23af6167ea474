-- evidence_labels: for every household, whether the window after $as_of showed a crisis that
-- no visit had to find — a referral dated in ($as_of, $as_of + 90 days], or a livelihood or
-- emergency benefit starting in it — as delivered by $known_by. Unlike visit results these
-- exist for every household, visited or not (no selection by the old rules), so a model that
-- learns them is not taught who the rules used to pick. Rare and incomplete (most crises
-- leave neither), so they complement the visit labels rather than replace them. A training
-- run reads them before it narrows the feeds (its narrowed copies end at the last as-of date,
-- and these labels look past it).
with

referred as (
    select distinct household_key from stg_referrals
    where referral_date > $as_of::date and referral_date <= $as_of::date + 90
      and delivery_date <= $known_by
),

supported as (
    -- listed by a benefits snapshot delivered by $known_by: a version of the benefits history
    -- valid from then
    select distinct household_key from benefits_history
    where program in ('livelihood', 'emergency')
      and start_date > $as_of::date and start_date <= $as_of::date + 90
      and valid_from <= $known_by
),

final as (
    select household_key, $as_of::date as as_of, true as evidence from referred
    union
    select household_key, $as_of::date, true from supported
)

select * from final
