"""Typing `_incoming` into `_typed`: SQL expressions per contract type, one bulk statement.

Each column goes text -> cleaned text (`_v_<name>`: trimmed, '' and '-' are NULL) -> typed
value (`_t_<name>`: NULL when the text does not fit the type). A row whose cleaned text is
present but does not type, or breaks a rule, gets a `_reason`; a later validation step
(Great Expectations) can add its own reasons the same way, before rows are split.
"""

from __future__ import annotations

import re

from ingest.contracts import Contract
from ingest.read import quote_ident, quote_literal
from sagak.warehouse import sql_text

# An rrn anywhere in text; \b keeps 16-hex pseudonyms (letters around the digits) intact.
RRN_IN_TEXT = r"\b\d{6}-?\d{7}\b"
NUMBER = r"[+-]?(\d+|\d{1,3}(,\d{3})+)"
PSEUDONYM = "substr(sha256($pepper || '|' || {x}), 1, 16)"

# contract type -> SQL turning cleaned text {v} into the typed value, NULL if it does not fit
PARSE = {
    "varchar": f"regexp_replace({{v}}, '{RRN_IN_TEXT}', '[rrn]', 'g')",
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
    # pseudonym of the 13 digits without the hyphen, as sagak.privacy.pseudonym(digits, pepper)
    "rrn": r"case when regexp_full_match({v}, '\d{6}-\d{7}') then "
    + PSEUDONYM.format(x="replace({v}, '-', '')")
    + " end",
    "household_no": r"case when regexp_full_match({v}, '\d{11}') then "
    + PSEUDONYM.format(x="{v}")
    + " end",
}
EXPECTED = {
    "integer": "a whole number",
    "amount": "a whole amount in KRW",
    "double": "a number",
    "boolean": "Y or N",
    "date": "a date YYYY-MM-DD",
    "ym": "a month YYYYMM",
    "rrn": "an rrn YYMMDD-NNNNNNN",
    "household_no": "an 11-digit household number",
}
IDENTIFIERS = {"rrn", "household_no"}
NON_NEGATIVE = {"integer", "amount", "double"}


def cleaned(name: str) -> str:
    """Trimmed text of a column, NULL when blank or '-'."""
    text = f"trim({quote_ident(name)}, ' ' || chr(9) || chr(13))"
    return f"nullif(nullif({text}, ''), '-') as {quote_ident('_v_' + name)}"


def typed(name: str, type_: str) -> str:
    """The typed value of a column, NULL when its text does not fit the type."""
    v = quote_ident("_v_" + name)
    return f"{PARSE[type_].replace('{v}', v)} as {quote_ident('_t_' + name)}"


def checks(column) -> list[str]:
    """SQL expressions giving a reason (or NULL) for each rule `column` can break."""
    v, t = quote_ident("_v_" + column.name), quote_ident("_t_" + column.name)
    label = column.name + ": "
    found = []
    if not column.nullable:
        found.append(f"case when {v} is null then {quote_literal(label + 'missing')} end")
    if column.type in EXPECTED:
        expected = quote_literal(f"{label}expected {EXPECTED[column.type]}")
        shown = "" if column.type in IDENTIFIERS else f" || ', got ''' || {v} || ''''"
        found.append(f"case when {v} is not null and {t} is null then {expected}{shown} end")
    if column.type in NON_NEGATIVE:
        found.append(f"case when {t} < 0 then {quote_literal(label + 'negative: ')} || {v} end")
    if column.past and column.type == "ym":
        later = quote_literal(label + "month after the delivery date: ")
        found.append(f"case when {t} > strftime($delivery_date, '%Y%m') then {later} || {v} end")
    elif column.past:
        later = quote_literal(label + "date after the delivery date: ")
        found.append(f"case when {t} > $delivery_date then {later} || {v} end")
    return found


def record_field(column) -> str:
    """One field of the quarantine record: the text as delivered, identifiers pseudonymised."""
    if column.type in IDENTIFIERS:
        t, v = quote_ident("_t_" + column.name), quote_ident("_v_" + column.name)
        value = f"coalesce({t}, {PSEUDONYM.format(x=v)})"
        return f"{quote_ident(column.output)} := {value}"
    return f"{quote_ident(column.name)} := {quote_ident(column.name)}"


def typed_query(contract: Contract) -> str:
    """The statement that builds `_typed` from `_incoming` for this contract."""
    columns = contract.columns
    reasons = [c for column in columns for c in checks(column)] or ["null"]
    return sql_text("ingest/typed.sql").format(
        cleaned=", ".join(cleaned(c.name) for c in columns),
        typed=", ".join(typed(c.name, c.type) for c in columns),
        checks=", ".join(reasons),
        outputs=", ".join(
            f"{quote_ident('_t_' + c.name)} as {quote_ident(c.output)}" for c in columns
        ),
        record=", ".join(record_field(c) for c in columns if not c.contact),
        rrn=RRN_IN_TEXT,
    )


def used_params(query: str, params: dict) -> dict:
    """The subset of `params` that `query` refers to as $name (DuckDB rejects extras)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", query)}
