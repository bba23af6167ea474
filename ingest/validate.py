"""Great Expectations: suites built from the contracts, run on each delivery's distinct values.

GX checks a frame of the distinct values of every column under expectation (padded to one
length), so its cost follows the number of distinct values, not rows; the values it finds
unexpected are mapped back to the rows that carry them, whose reasons read
`<expectation_type> <column>=<value>`. GX is imported lazily: it costs seconds to import.
"""

from __future__ import annotations

from functools import cache

import duckdb
import numpy as np
import pandas as pd

from ingest.contracts import Contract
from ingest.read import quote_ident
from sagak.warehouse import sql_text

IDENTIFIER_TYPES = {"rrn", "household_no"}


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
    """The GX ExpectationSuite of a feed, built from its contract."""
    import great_expectations as gx

    built = gx.ExpectationSuite(name=f"sagak_{contract.feed}")
    for kind, _, frame_column, kwargs in expectations(contract):
        built.add_expectation(expectation_class(kind)(column=frame_column, **kwargs))
    return built


def expectation_class(kind: str):
    """The GX Expectation class of an expectation type name."""
    import great_expectations as gx

    name = "".join(part.title() for part in kind.split("_"))
    return getattr(gx.expectations, name)


def distinct_frame(con: duckdb.DuckDBPyConnection, columns: list[str]) -> pd.DataFrame:
    """The distinct values of each column of _typed, every column padded to the same length."""
    series = {}
    for column in dict.fromkeys(columns):
        values = con.sql(f"select distinct {quote_ident(column)} as v from _typed").df()["v"]
        series[column] = values.reset_index(drop=True)
    length = max(len(s) for s in series.values())
    return pd.DataFrame(
        {k: s.iloc[np.arange(length) % len(s)].reset_index(drop=True) for k, s in series.items()}
    )


def validate_rows(con: duckdb.DuckDBPyConnection, contract: Contract) -> int:
    """Run the feed's suite on _typed; returns how many (expectation, value) pairs failed."""
    rules = expectations(contract)
    if not rules or not con.execute("select count(*) from _typed").fetchall()[0][0]:
        return 0
    frame = distinct_frame(con, [r[2] for r in rules])
    batch = batch_definition().get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(suite(contract), result_format={"result_format": "COMPLETE"})
    failed = 0
    for rule, outcome in zip(rules, result.results, strict=True):
        if outcome.success:
            continue
        indexes = outcome.result.get("unexpected_index_list") or []
        values = frame[rule[2]].iloc[indexes].dropna().unique().tolist()
        failed += mark_unexpected(con, rule, values)
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
        con.execute("create or replace temp table _unexpected as select v from _unexpected_values")
        con.unregister("_unexpected_values")
        where = f"{source} in (select v from _unexpected)"
    else:
        return 0
    query = sql_text("ingest/append_reason.sql").format(
        reason=f"$label || coalesce({source}::varchar, 'null')", where=where
    )
    con.execute(query, {"label": f"{kind} {name}="})
    return 1
