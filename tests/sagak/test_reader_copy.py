"""The readers' copy: the last copy brought up to date file by file, equal to the warehouse."""

from __future__ import annotations

import duckdb
import pytest

from sagak.settings import get_settings
from sagak.warehouse import READER_TABLES, publish_reader_copy


@pytest.fixture
def settings(tmp_path):
    chosen = get_settings(tmp_path)
    with duckdb.connect(str(chosen.warehouse)) as con:
        con.execute(
            "create table quarantine as select 'f' || (i % 5) as file_id, i as line, "
            "'r' || i as raw from range(1000) t(i)"
        )
        con.execute("insert into quarantine values (null, -1, 'no file')")
        con.execute("create table ingest_ledger as select 'f' || i as file_id from range(5) t(i)")
        con.execute("create table monitoring as select 1 as night, 'x' as check_name")
    return chosen


def tables_of(path) -> dict[str, list]:
    with duckdb.connect(str(path), read_only=True) as con:
        present = {r[0] for r in con.sql("select table_name from duckdb_tables()").fetchall()}
        return {t: con.sql(f"from {t} order by all").fetchall() for t in sorted(present)}


def test_the_copy_equals_the_warehouse_after_files_come_go_and_change(settings):
    publish_reader_copy(settings)
    assert tables_of(settings.reader_copy) == tables_of(settings.warehouse)
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("insert into quarantine select 'f9', i, 'new' from range(7) t(i)")
        con.execute("delete from quarantine where file_id = 'f1'")
        con.execute("delete from quarantine where file_id = 'f2' and line < 100")
        con.execute("insert into quarantine values (null, -2, 'another without a file')")
        con.execute("alter table monitoring add column value double")
        con.execute("insert into ingest_ledger values ('f9')")
    publish_reader_copy(settings)
    assert tables_of(settings.reader_copy) == tables_of(settings.warehouse)
    assert set(tables_of(settings.reader_copy)) == set(READER_TABLES)


def test_the_rows_of_an_unchanged_file_are_kept_not_copied_again(settings):
    publish_reader_copy(settings)
    with duckdb.connect(str(settings.reader_copy)) as con:  # mark a kept row
        con.execute("update quarantine set raw = 'kept' where file_id = 'f3' and line = 3")
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("insert into quarantine select 'f8', i, 'new' from range(3) t(i)")
    publish_reader_copy(settings)
    copied = tables_of(settings.reader_copy)["quarantine"]
    assert ("f3", 3, "kept") in copied and ("f8", 2, "new") in copied


def test_a_changed_table_or_a_damaged_copy_is_copied_afresh(settings):
    publish_reader_copy(settings)
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("alter table quarantine add column reasons varchar default 'why'")
    publish_reader_copy(settings)
    assert tables_of(settings.reader_copy) == tables_of(settings.warehouse)
    settings.reader_copy.write_bytes(b"not a DuckDB file" * 100)
    publish_reader_copy(settings)
    assert tables_of(settings.reader_copy) == tables_of(settings.warehouse)
    assert not list(settings.reader_copy.parent.glob(".*.tmp*"))  # no partial copy left
