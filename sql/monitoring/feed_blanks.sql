-- feed_blanks: per feed and stored column, the blank share of the latest delivery on or before
-- $as_of against the median share of its $trailing earlier deliveries.
with

current as (
    select feed, delivery_date, file_id
    from current_files
    where delivery_date <= $as_of
    qualify row_number() over (partition by feed order by delivery_date desc) <= $trailing + 1
),

profiles as (
    select
        c.feed,
        c.file_id,
        p.column_name,
        p.blanks / greatest(p.n_rows, 1) as blank_share,
        p.n_rows,
        row_number() over (partition by c.feed, p.column_name order by c.delivery_date desc)
            as recency
    from current c
    join monitoring_delivery_profile p using (feed, file_id)
),

final as (
    select
        feed,
        column_name,
        max(blank_share) filter (where recency = 1) as blank_share,
        max(n_rows) filter (where recency = 1) as n_rows,
        median(blank_share) filter (where recency > 1) as usual_share,
        count(*) filter (where recency > 1) as history
    from profiles
    group by feed, column_name
)

select * from final order by feed, column_name
