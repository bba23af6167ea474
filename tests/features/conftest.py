import duckdb
import pytest

from tests.features.tiny import tiny_world


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    tiny_world(con)
    yield con
    con.close()
