"""The floor: a bare DuckDB scan and group-by over every staged row, in its own process.

Prints JSON: seconds and rows. Usage: python -m bench.floor SAGAK_HOME
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ingest.read import quote_ident
from sagak.settings import FEEDS, Settings
from sagak.warehouse import warehouse

QUERY = (Path(__file__).parent / "floor.sql").read_text(encoding="utf-8")


def main() -> None:
    settings = Settings(Path(sys.argv[1]))
    rows = 0
    with warehouse(settings, read_only=True) as con:
        start = time.perf_counter()
        for feed in FEEDS:
            relation = quote_ident(f"stg_{feed}")
            key = con.sql(f"describe {relation}").fetchall()[0][0]
            query = QUERY.format(relation=relation, key=quote_ident(key))
            rows += con.sql(query).fetchall()[0][0]
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": round(seconds, 2), "rows": rows}))


if __name__ == "__main__":
    main()
