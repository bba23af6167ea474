-- model_nights: every night monitored by the model stage up to $as_of, newest first, and
-- whether it drifted or lost quality: at least $min_features features with a critical PSI, or a
-- critical finding among $checks (score PSI against training, live precision and calibration).
with

model_rows as (
    select * from monitoring where stage = 'model' and night <= $as_of
),

final as (
    select
        night,
        count(*) filter (where check_name = 'feature_psi' and severity = 'critical')
            >= $min_features
        or coalesce(bool_or(severity = 'critical' and list_contains($checks, check_name)), false)
            as critical
    from model_rows
    group by night
)

select * from final order by night desc
