-- web_ranked_1m: a synthetic published ranked list with the real columns of ranked.parquet,
-- $households rows over the teams of teams.yml, sorted by rank as publish writes it.
with

teams as (
    select row_number() over () - 1 as team_no, emd_code, sigungu_code
    from (select unnest($emd_codes) as emd_code, unnest($sigungu_codes) as sigungu_code)
),

households as (
    select range as i, md5('hh:' || range::varchar) as household_key,
           hash(range) % len($emd_codes) as team_no,
           (hash(range * 7 + 1) % 1000000) / 1000000.0 as u
    from range($households)
),

scored as (
    select h.household_key, t.emd_code, t.sigungu_code, h.u * h.u as score, h.i
    from households h join teams t using (team_no)
),

ranked as (
    select *,
        row_number() over (order by score desc, household_key) as rank,
        row_number() over (partition by emd_code order by score desc, household_key) as team_rank
    from scored
),

final as (
    select
        household_key, emd_code, sigungu_code, score,
        greatest(1, least(20, ceil(score * 20)))::tinyint as tier,
        rank::integer as rank, team_rank::integer as team_rank,
        [$reasons[1 + i % len($reasons)], $reasons[1 + (i // 3) % len($reasons)]] as reasons,
        ['사유 ' || (i % 9)::varchar, '사유 ' || (i % 5)::varchar] as reasons_ko,
        ['reason ' || (i % 9)::varchar, 'reason ' || (i % 5)::varchar] as reasons_en,
        case when i % 40 = 0 then 'benefit_active' when i % 97 = 0 then 'visited_recently' end
            as excluded_reason,
        team_rank <= 40 and i % 40 <> 0 and i % 97 <> 0 as assigned,
        team_rank <= 40 and i % 40 <> 0 and i % 97 <> 0 and i % 25 = 0 as exploration,
        team_rank <= 40 and i % 40 <> 0 and i % 97 <> 0 and i % 4 = 0 as new_since_last_run
    from ranked
)

select * from final
order by rank
