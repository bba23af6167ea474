-- Quarantined rows whose raw text still holds an rrn (in free text).
select _file, _row, raw from _quarantined where regexp_matches(raw, $rrn)
