-- household_history: the household's score, tier and rank on every night published (newest
-- first); the night is the name of the folder each web/households.parquet lies in.
with

nights as (
    select *,
        regexp_extract(filename, '(\d{4}-\d{2}-\d{2})[/\\]web[/\\]households\.parquet$', 1)
            as night
    from read_parquet($files, filename = true, union_by_name = true)
),

final as (
    select night, score, tier, rank, team_rank, emd_code, assigned, exploration,
           excluded_reason
    from nights
    where household_key = $key
)

select * from final
order by night desc
