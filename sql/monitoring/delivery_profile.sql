-- delivery_profile: per file of $files in raw table $raw_table, its rows, distinct $key values
-- and the blanks of every stored column — one pass over the new files only.
with

source as (
    select * exclude (delivery_date, version)
    from query_table($raw_table)
    where file_id in (select unnest($files))
),

keys as (
    select file_id, count(distinct columns(lambda c: c = $key))::bigint as n_keys
    from source
    group by file_id
),

filled as (
    select file_id, count(*)::bigint as n_rows, count(columns(* exclude (file_id)))::bigint
    from source
    group by file_id
),

unpivoted as (
    unpivot filled on columns(* exclude (file_id, n_rows)) into name column_name value n_filled
),

final as (
    select
        $feed as feed,
        u.file_id,
        u.n_rows,
        k.n_keys,
        u.column_name,
        u.n_rows - u.n_filled as blanks
    from unpivoted u
    join keys k using (file_id)
)

select * from final
