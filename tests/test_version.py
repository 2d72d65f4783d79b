"""A database built by another version is refused with a clear message and brought up to date in place."""
from __future__ import annotations

import duckdb
import pytest

from atlas.data import ingest
from atlas.data import schema as version
from atlas.data.db import Database
from support import agreement, dump_tables, engagement, run_cli, write_csv


def _age(db):
    """Make the file look built by an older version: old version mark, one rollup and the macros gone."""
    con = duckdb.connect(str(db))
    con.execute("UPDATE metadata SET value = 'older' WHERE key = ?", [version.KEY])
    con.execute("DROP TABLE engagement_place_rollup")
    con.execute("DROP MACRO TABLE activity_in")
    con.close()


def test_outdated_file_is_refused_then_upgraded(empty_db, tmp_path):
    rows = [engagement("E1"), engagement("E2", country="MEX")]
    assert ingest.import_file(write_csv(tmp_path / "e.csv", rows), "engagements", empty_db).outcome == "success"
    before = dump_tables(empty_db)
    _age(empty_db)
    with pytest.raises(version.OutdatedDatabase, match="python -m atlas upgrade"):
        Database.open(empty_db)
    result = run_cli("upgrade", "--db", empty_db)
    assert result.returncode == 0 and "Upgraded" in result.stdout
    db = Database.open(empty_db)
    assert dump_tables(empty_db) == before, "records are never touched"
    assert db.query("kpi_engagements", {"start": "2024-01-01", "end": "2024-12-31", "prev_start": "2023-01-01",
                                        "prev_end": "2023-12-31", "areas": [], "countries": [], "components": [],
                                        "types": [], "max_rank": 2}).engagements[0] == 2
    db.close()
    again = run_cli("upgrade", "--db", empty_db)
    assert "is up to date" in again.stdout


def test_an_import_brings_an_outdated_file_up_to_date(empty_db, tmp_path):
    _age(empty_db)
    path = write_csv(tmp_path / "a.csv", [agreement("A1")])
    assert ingest.import_file(path, "agreements", empty_db).outcome == "success"
    Database.open(empty_db).close()
