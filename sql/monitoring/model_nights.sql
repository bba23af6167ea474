-- model_nights: every night monitored by the model stage up to $as_of, newest first, and
-- whether the model drifted or lost quality: at least $min_features features past
-- $psi_critical against the champion's validation period, the $seasonal ones left out (those
-- rows are warnings — another season is no incident — but a reason to retrain when it lasts),
-- or a critical finding among $checks (live precision and calibration).
with

model_rows as (
    select * from monitoring where stage = 'model' and night <= $as_of
),

final as (
    select
        night,
        count(*) filter (
            where check_name = 'feature_psi_validation' and value > $psi_critical
                and not list_contains($seasonal, subject)
        ) >= $min_features
        or coalesce(bool_or(severity = 'critical' and list_contains($checks, check_name)), false)
            as critical
    from model_rows
    group by night
)

select * from final order by night desc
