-- web_households: tonight's ranked-list row (without the reason lists: the household page reads
-- them from ranked.parquet, one key) and feature snapshot of every household, sorted by
-- household_key so that the household page finds one key in one small row group (the ranked
-- list itself is sorted by rank). Pseudonymous keys only, no contact details. Reads the ranked
-- list registered as `night_ranked` (outreach/web_tables.py).
with

ranked as (
    select * exclude (reasons, reasons_ko, reasons_en) from night_ranked
),

snapshot as (
    select * exclude (emd_code, sigungu_code, as_of)
    from household_features
    where as_of = $as_of
),

final as (
    select r.*, s.* exclude (household_key)
    from ranked r
    left join snapshot s using (household_key)
)

select * from final
order by household_key
