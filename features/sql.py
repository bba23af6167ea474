"""Running sql/ queries: the parameters a query uses, and temp tables made from queries."""

from __future__ import annotations

import re

import duckdb

from sagak.warehouse import quote_ident


def used_params(query: str, params: dict) -> dict:
    """The entries of `params` that `query`'s code (not its comments) names as `$name`:
    DuckDB refuses a parameter a statement does not use."""
    code = re.sub(r"--[^\n]*", "", query)
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", code)}


def temp_table(con: duckdb.DuckDBPyConnection, name: str, query: str, params: dict) -> None:
    """(Re)create temp table `name` from `query`, given the `params` it uses."""
    statement = f"create or replace temp table {quote_ident(name)} as {query}"
    con.execute(statement, used_params(query, params))


def run_statements(con: duckdb.DuckDBPyConnection, query: str, params: dict) -> None:
    """Run the `;`-separated statements of `query` in order, each given the `params` it uses
    (DuckDB takes parameters for one statement at a time)."""
    for statement in re.split(r";\s*\n", query):
        if re.sub(r"--[^\n]*", "", statement).strip():
            con.execute(statement, used_params(statement, params))
