"""Reading ahead: the next batch of deliveries is read, keyed and typed while the one before it
is checked and stored.

Reading a delivery (its bytes, their sha256 and decoding, DuckDB's CSV reader), keying and
typing a batch need nothing of the warehouse; checking and storing it do. Each is mostly one
core's work, so on two cores the first load takes about the longer of the two instead of their
sum. One worker thread loads the batches in the order they were handed over, on the warehouse
connection; the inbox is read, keyed and typed on a cursor of its own (`reader`), into tables
both see (ingest/batches.py). At most one batch loads while the next is read: memory holds two
batches at most. A failure in loading is raised where the next batch is handed over,
or at the end; an interrupted read waits for the batch loading to commit or fail as a whole.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import duckdb

from ingest.batches import Batches, load_batches, prepare


class Loader:
    """Loads handed-over batches one after another on a worker thread; `rows` their ledger rows."""

    def __init__(self, con: duckdb.DuckDBPyConnection, reader: duckdb.DuckDBPyConnection) -> None:
        self.con, self.reader = con, reader
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sagak-load")
        self.loading: Future | None = None
        self.rows: list[dict] = []

    def hand_over(self, batches: Batches) -> Batches:
        """Key and type `batches` on the reader, load them once the batches before them are
        loaded; empty ones to read into."""
        prepare(self.reader, batches)
        self.wait()
        self.loading = self.pool.submit(load_batches, self.con, batches)
        return batches.following()

    def wait(self) -> None:
        """Wait for the batches loading, if any; their rows kept, their failure raised."""
        loading, self.loading = self.loading, None
        if loading is not None:
            self.rows += loading.result()

    def __enter__(self) -> Loader:
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                self.wait()
        finally:
            self.pool.shutdown(wait=True)
