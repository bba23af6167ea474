"""The web store's SQLite statements: sql/web/store/<name>.sql, each read once."""

from __future__ import annotations

from functools import cache

from sagak.warehouse import sql_text


@cache
def store_sql(name: str) -> str:
    """The text of sql/web/store/<name>.sql (its parameters are `:name`, bound by the caller)."""
    return sql_text(f"web/store/{name}.sql")
