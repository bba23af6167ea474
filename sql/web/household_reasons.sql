-- household_reasons: the household's reasons (codes and the texts of both languages) in the
-- night's ranked list ($path: ranked.parquet); web/households.parquet leaves them out.
with

ranked as (
    select household_key, reasons, reasons_ko, reasons_en from read_parquet($path)
),

final as (
    select reasons, reasons_ko, reasons_en from ranked
    where household_key = $key
)

select * from final
