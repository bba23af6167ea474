-- visits_keyed: the feedback files' rows (registered frame visits_frame) in the columns of table
-- `visits`, household_no replaced by its pseudonym household_key: the first $chars hex of
-- HMAC-SHA256(secret, $prefix || household_no), computed as sha256(outer pad || sha256(inner pad
-- || message)) (RFC 2104, as ingest/key_table.sql and sagak.privacy do). $inner and $outer are
-- the secret's padded keys (ingest/keys.py: hmac_pads). A missing household_no keys to NULL.
select
    substr(
        sha256($outer || unhex(sha256($inner || encode($prefix || household_no)))), 1, $chars
    ) as household_key,
    * exclude (household_no)
from visits_frame
