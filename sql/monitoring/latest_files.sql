-- latest_files: each feed's latest current file delivered on or before $as_of.
with

current as (
    select feed, file_id, delivery_date
    from current_files
    where delivery_date <= $as_of
),

final as (
    select feed, file_id
    from current
    qualify row_number() over (partition by feed order by delivery_date desc) = 1
)

select * from final
