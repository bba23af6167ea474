"""Great Expectations: suites built from the contracts, run on each delivery's distinct values.

GX checks a frame of the distinct values of every column under expectation (padded to one
length), so its cost follows the number of distinct values, not rows; the values it finds
unexpected are mapped back to the rows that carry them, whose reasons read
`<expectation_type> <column>=<value>`. Values GX passed are remembered in gx_passed, so a
night whose values were all seen before needs no GX at all. GX is imported lazily: it costs
seconds to import.
"""

from __future__ import annotations

from functools import cache

import duckdb
import numpy as np
import pandas as pd

from ingest.contracts import Contract
from sagak.warehouse import quote_ident, quote_literal, sql_text

IDENTIFIER_TYPES = {"rrn", "household_no"}
# (feed, repr of its rules) -> its ExpectationSuite: building one costs more than using it
SUITES: dict[tuple[str, str], object] = {}
NOT_NULL = "expect_column_values_to_not_be_null"
MAX_PASSED = 200_000  # values remembered per column: a bound on the table, not on correctness


def expectations(contract: Contract) -> list[tuple[str, str, str, dict]]:
    """(expectation type, contract column, frame column, kwargs) for every rule in the contract."""
    found = []
    for c in contract.columns:
        if not c.nullable:
            found.append(("expect_column_values_to_not_be_null", c.name, f"_v_{c.name}", {}))
        if c.type in IDENTIFIER_TYPES or c.contact:
            continue  # identifiers are checked by type, never shown; contacts never validated
        if c.min is not None or c.max is not None:
            kwargs = {"min_value": c.min, "max_value": c.max}
            found.append(("expect_column_values_to_be_between", c.name, c.output, kwargs))
        if c.values:
            kwargs = {"value_set": list(c.values)}
            found.append(("expect_column_values_to_be_in_set", c.name, c.output, kwargs))
        if c.format:
            kwargs = {"regex": f"^(?:{c.format})$"}
            found.append(("expect_column_values_to_match_regex", c.name, c.output, kwargs))
    return found


@cache
def batch_definition():
    """One ephemeral GX context with a pandas data source, made once per process."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("sagak").add_dataframe_asset("delivery")
    return asset.add_batch_definition_whole_dataframe("distinct_values")


def suite(contract: Contract):
    """The GX ExpectationSuite of a feed, built from its contract once per process and rules."""
    import great_expectations as gx

    rules = expectations(contract)
    cache_key = (contract.feed, repr(rules))
    if cache_key not in SUITES:
        built = gx.ExpectationSuite(name=f"sagak_{contract.feed}")
        for kind, _, frame_column, kwargs in rules:
            built.add_expectation(expectation_class(kind)(column=frame_column, **kwargs))
        SUITES[cache_key] = built
    return SUITES[cache_key]


def expectation_class(kind: str):
    """The GX Expectation class of an expectation type name."""
    import great_expectations as gx

    name = "".join(part.title() for part in kind.split("_"))
    return getattr(gx.expectations, name)


def column_values(
    con: duckdb.DuckDBPyConnection, column: str, memo: dict | None, table: str
) -> pd.Series:
    """The values of a column of _typed GX must see: those gx_passed does not hold for `memo`
    (feed, frame column, rules), and NULL, kept in temp table `table` for remember_passed; for
    a column under not-null rules only (memo None), one value and a NULL if it has one (their
    outcome depends on nothing else)."""
    source = quote_ident(column)
    if memo is not None:
        new = sql_text("ingest/gx_new_values.sql").format(column=source, table=table)
        con.execute(new, memo)
        return con.sql(sql_text("ingest/gx_new_values_read.sql").format(table=table)).df()["v"]
    sample, has_null = con.sql(sql_text("ingest/gx_sample.sql").format(column=source)).fetchall()[0]
    return pd.Series(
        [v for v in (sample,) if v is not None] + [None] * bool(has_null), dtype=object
    )


def one_value(con: duckdb.DuckDBPyConnection, column: str) -> pd.Series:
    """One non-NULL value of a column of _typed (NULL if it has none), to pad the frame."""
    query = sql_text("ingest/gx_one_value.sql").format(column=quote_ident(column))
    return con.sql(query).df()["v"]


def distinct_frame(
    con: duckdb.DuckDBPyConnection, feed: str, rules: list[tuple]
) -> tuple[pd.DataFrame, bool]:
    """The values of each column under expectation that GX has not passed before for this
    feed and rules (gx_passed), padded to one length; and whether any is left to check.

    Expectations judge each value on its own (in a set, between, a pattern, not null), so a
    value that passed every rule on its column passes them again: only new values, and NULLs,
    go to GX. A column with nothing new keeps one value, to pad the frame.
    """
    series, fresh = {}, False
    for at, (column, kinds) in enumerate(columns_under_rules(rules).items()):
        memo = None if nulls_only(kinds) else memo_params(feed, column, kinds)
        values = column_values(con, column, memo, new_values_table(at)).reset_index(drop=True)
        # NULLs matter to not-null rules only (the others skip them)
        fresh |= bool(values.notna().any() if memo else values.isna().any())
        if memo and not values.notna().any():
            values = one_value(con, column)
        series[column] = values.reset_index(drop=True)
    length = max(len(s) for s in series.values())
    frame = pd.DataFrame(
        {k: s.iloc[np.arange(length) % len(s)].reset_index(drop=True) for k, s in series.items()}
    )
    return frame, fresh


def new_values_table(at: int) -> str:
    """The temp table of the new values of the `at`-th column under rules (gx_new_values.sql)."""
    return quote_ident(f"_gx_new_{at}")


def columns_under_rules(rules: list[tuple]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Frame column -> its rules as (expectation type, repr of its arguments), in rule order."""
    kinds: dict[str, list[tuple[str, str]]] = {}
    for kind, _, column, kwargs in rules:
        kinds.setdefault(column, []).append((kind, repr(kwargs)))
    return {column: tuple(found) for column, found in kinds.items()}


def nulls_only(kinds: tuple[tuple[str, str], ...]) -> bool:
    """True when every rule on a column is a not-null rule."""
    return all(kind == NOT_NULL for kind, _ in kinds)


def memo_params(feed: str, column: str, kinds: tuple) -> dict:
    """The gx_passed key of a feed's column under its rules, as query parameters."""
    return {"feed": feed, "frame_column": column, "rules": repr(kinds)}


def remember_passed(con: duckdb.DuckDBPyConnection, feed: str, rules: list[tuple]) -> None:
    """Add the column values tonight's rules passed to gx_passed (up to MAX_PASSED a column),
    from the new values distinct_frame kept."""
    labels: dict[str, list[str]] = {}
    for kind, name, column, _ in rules:
        labels.setdefault(column, []).append(f"{kind} {name}=")
    for at, (column, kinds) in enumerate(columns_under_rules(rules).items()):
        if nulls_only(kinds):
            continue
        memo = memo_params(feed, column, kinds)
        held = con.execute(sql_text("ingest/gx_passed_count.sql"), memo).fetchall()[0][0]
        if held >= MAX_PASSED:
            continue
        labelled = " or ".join(f"starts_with(r, {quote_literal(x)})" for x in labels[column])
        query = sql_text("ingest/gx_remember.sql").format(
            column=quote_ident(column), labelled=labelled, new=new_values_table(at)
        )
        con.execute(query, memo)


def validate_rows(con: duckdb.DuckDBPyConnection, contract: Contract) -> int:
    """Run the feed's suite on _typed; returns how many (expectation, value) pairs failed."""
    rules = expectations(contract)
    if not rules or not con.execute(sql_text("ingest/typed_rows.sql")).fetchall()[0][0]:
        return 0
    frame, fresh = distinct_frame(con, contract.feed, rules)
    if not fresh:
        return 0
    batch = batch_definition().get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(suite(contract), result_format={"result_format": "COMPLETE"})
    failed = 0
    for rule, outcome in zip(rules, result.results, strict=True):
        if outcome.success:
            continue
        indexes = outcome.result.get("unexpected_index_list") or []
        values = frame[rule[2]].iloc[indexes].dropna().unique().tolist()
        failed += mark_unexpected(con, rule, values)
    remember_passed(con, contract.feed, rules)
    return failed


def mark_unexpected(con: duckdb.DuckDBPyConnection, rule: tuple, values: list) -> int:
    """Append `<expectation> <column>=<value>` to the reasons of the rows holding `values`."""
    kind, name, frame_column, _ = rule
    source = quote_ident(frame_column)
    if kind == "expect_column_values_to_not_be_null":
        where = f"{source} is null"
    elif values:
        unexpected = pd.DataFrame({"v": values})
        con.register("_unexpected_values", unexpected)
        con.execute(sql_text("ingest/gx_unexpected.sql"))
        con.unregister("_unexpected_values")
        where = f"{source} in (select v from _unexpected)"
    else:
        return 0
    query = sql_text("ingest/append_reason.sql").format(
        reason=f"$label || coalesce({source}::varchar, 'null')", where=where
    )
    con.execute(query, {"label": f"{kind} {name}="})
    return 1
