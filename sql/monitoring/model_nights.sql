-- model_nights: every night monitored by the model stage up to $as_of, newest first, and
-- whether it had a critical finding among $checks (drift and live quality).
with

model_rows as (
    select * from monitoring where stage = 'model' and night <= $as_of
),

final as (
    select
        night,
        bool_or(severity = 'critical' and list_contains($checks, check_name)) as critical
    from model_rows
    group by night
)

select * from final order by night desc
