-- excluded_shares: the share of the households of one ranked list ($ranked) excluded, per
-- reason, and in all (`any`).
with

ranked as (
    select excluded_reason from read_parquet($ranked)
),

final as (
    select coalesce(excluded_reason, 'any') as reason, share
    from (
        select excluded_reason, count(*) / (select count(*) from ranked) as share
        from ranked where excluded_reason is not null
        group by grouping sets ((excluded_reason), ())
    )
)

select * from final order by reason
