-- web_household_features: the night's feature snapshot of every household, sorted by
-- household_key, for web/households.parquet (outreach/web_tables.py sets it beside the ranked
-- list sorted the same way). Pseudonymous keys only, no contact details.
select * exclude (emd_code, sigungu_code, as_of)
from household_features
where as_of = $as_of
order by household_key
