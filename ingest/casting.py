"""Typing `_incoming` into `_typed`: SQL expressions per contract type, one bulk statement over
a batch of one feed's deliveries (`_file`, `_row`, `_delivery_date`: ingest/batches.py).

Each column goes text -> cleaned text (`_v_<name>`: trimmed, '' and '-' are NULL) -> typed
value (`_t_<name>`: NULL when the text does not fit the type). A row whose cleaned text is
present but does not type, or breaks a rule, gets a `_reason`; a later validation step
(Great Expectations) can add its own reasons the same way, before rows are split.
"""

from __future__ import annotations

from ingest.contracts import Contract
from sagak.warehouse import created_in, quote_ident, quote_literal, sql_text

# An rrn anywhere in text; \b keeps hex pseudonyms (letters around the digits) intact.
RRN_IN_TEXT = r"\b\d{6}-?\d{7}\b"
NUMBER = r"[+-]?(\d+|\d{1,3}(,\d{3})+)"
# the birth date of an rrn: YYMMDD and the century from the 7th digit (9/0: 1800s, 1/2/5/6:
# 1900s, 3/4/7/8: 2000s); the check digit is NOT checked (synthetic rrns break it on purpose)
RRN_BIRTH = (
    "try_strptime(case when substr({v}, 8, 1) in ('9', '0') then '18' "
    "when substr({v}, 8, 1) in ('1', '2', '5', '6') then '19' else '20' end "
    "|| substr({v}, 1, 6), '%Y%m%d')"
)

# contract type -> SQL turning cleaned text {v} into the typed value, NULL if it does not fit;
# {k} is the value's pseudonym from the key table (ingest/keys.py), for identifier types only
PARSE = {
    # an rrn is 13 characters at least (and as many bytes): shorter text is left as it is
    "varchar": f"case when strlen({{v}}) >= 13 then regexp_replace({{v}}, '{RRN_IN_TEXT}', '[rrn]', "
    "'g') else {v} end",
    "integer": f"case when regexp_full_match({{v}}, '{NUMBER}') "
    "then try_cast(replace({v}, ',', '') as integer) end",
    "amount": f"case when regexp_full_match({{v}}, '{NUMBER}') "
    "then try_cast(replace({v}, ',', '') as bigint) end",
    "double": f"case when regexp_full_match({{v}}, '{NUMBER}(\\.\\d*)?') "
    "then try_cast(replace({v}, ',', '') as double) end",
    "boolean": "case upper({v}) when 'Y' then true when 'TRUE' then true "
    "when 'N' then false when 'FALSE' then false end",
    "date": r"case when regexp_full_match({v}, '\d{4}-\d{2}-\d{2}') "
    "then try_strptime({v}, '%Y-%m-%d')::date end",
    "ym": r"case when regexp_full_match({v}, '\d{4}(0[1-9]|1[0-2])') then {v} end",
    # identifiers: their key if their text is one (`_ok_`, judged once per distinct value in the
    # key table: IDENTIFIER_FORMS), else NULL
    "rrn": "case when {ok} then {k} end",
    "household_no": "case when {ok} then {k} end",
}
# identifier type -> SQL telling whether cleaned text {v} is one, run on the key table's
# distinct values (ingest/keys.py) instead of on every row: a registry batch holds each
# person's rrn and household number once per snapshot
IDENTIFIER_FORMS = {
    "rrn": r"regexp_full_match({v}, '\d{6}-\d{7}') and " + RRN_BIRTH + " is not null",
    "household_no": r"regexp_full_match({v}, '\d{11}')",
}
EXPECTED = {
    "integer": "a whole number",
    "amount": "a whole amount in KRW",
    "double": "a number",
    "boolean": "Y or N",
    "date": "a date YYYY-MM-DD",
    "ym": "a month YYYYMM",
    "rrn": "an rrn YYMMDD-NNNNNNN with a real birth date",
    "household_no": "an 11-digit household number",
}
IDENTIFIERS = {"rrn", "household_no"}


def cleaned(name: str) -> str:
    """Trimmed text of a column (spaces, tabs, carriage returns), NULL when blank or '-'. Only
    text that starts or ends with a space or holds a tab or CR anywhere is trimmed: the rest is
    its own trim, and trimming every value was a third of typing a registry snapshot."""
    v = quote_ident(name)
    text = (
        f"case when starts_with({v}, ' ') or ends_with({v}, ' ') or contains({v}, chr(9)) "
        f"or contains({v}, chr(13)) then trim({v}, ' ' || chr(9) || chr(13)) else {v} end"
    )
    return f"nullif(nullif({text}, ''), '-') as {quote_ident('_v_' + name)}"


def typed(name: str, type_: str) -> str:
    """The typed value of a column, NULL when its text does not fit the type."""
    v, k, ok = (quote_ident(f"{prefix}{name}") for prefix in ("_v_", "_kk_", "_ok_"))
    parsed = PARSE[type_].replace("{v}", v).replace("{k}", k).replace("{ok}", ok)
    return f"{parsed} as {quote_ident('_t_' + name)}"


def key_join(column) -> str:
    """Join of the column's key table (ingest/keys.py) on its cleaned text."""
    table, value = quote_ident("_k_" + column.name), quote_ident("_kv_" + column.name)
    return f"left join {table} on {table}.{value} = {quote_ident('_v_' + column.name)}"


def checks(column) -> list[str]:
    """SQL expressions giving a reason (or NULL) for each rule `column` can break."""
    v, t = quote_ident("_v_" + column.name), quote_ident("_t_" + column.name)
    label = column.name + ": "
    found = []
    if column.type in EXPECTED:
        expected = quote_literal(f"{label}expected {EXPECTED[column.type]}")
        shown = "" if column.type in IDENTIFIERS else f" || ', got ''' || {v} || ''''"
        found.append(f"case when {v} is not null and {t} is null then {expected}{shown} end")
    if column.past and column.type == "ym":
        later = quote_literal(label + "month after the delivery date: ")
        found.append(f"case when {t} > strftime(_delivery_date, '%Y%m') then {later} || {v} end")
    elif column.past:
        later = quote_literal(label + "date after the delivery date: ")
        found.append(f"case when {t} > _delivery_date then {later} || {v} end")
    return found


def record_field(column) -> str:
    """One field of the raw quarantine record: the text as delivered, identifiers as their keys."""
    if column.type in IDENTIFIERS:
        return f"{quote_ident(column.output)} := {quote_ident('_kk_' + column.name)}"
    return f"{quote_ident(column.name)} := i.{quote_ident(column.name)}"


def typed_query(contract: Contract, schema: str = "temp") -> str:
    """The statement that builds `_typed` in `schema` from `_incoming` for this contract."""
    columns = contract.columns
    reasons = [c for column in columns for c in checks(column)] or ["null::varchar"]
    return sql_text("ingest/typed.sql").format(
        table=created_in(schema, "_typed"),
        cleaned=", ".join(cleaned(c.name) for c in columns),
        joins=" ".join(key_join(c) for c in columns if c.type in IDENTIFIERS),
        typed=", ".join(typed(c.name, c.type) for c in columns),
        checks=", ".join(reasons),
        outputs=", ".join(
            f"{quote_ident('_t_' + c.name)} as {quote_ident(c.output)}" for c in columns
        ),
        texts=", ".join(quote_ident("_v_" + c.name) for c in columns),
        rrn=RRN_IN_TEXT,
    )
