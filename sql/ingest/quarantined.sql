-- _quarantined: the batch's rows with a reason, and their raw fields as a JSON object:
-- the text as delivered ({record}: contract columns, contact details left out), identifiers
-- as their keys ({joins}: the key tables of ingest/keys.py).
create or replace temp table _quarantined as
select
    t._file,
    t._row,
    t._reasons,
    to_json(struct_pack({record}))::varchar as raw
from _typed as t
join _incoming as i using (_file, _row)
{joins}
where len(t._reasons) > 0
