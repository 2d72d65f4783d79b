"""A database built by another version is refused with a clear message and brought up to date in place."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from atlas.config import REFERENCE_DIR
from atlas.data import build, ingest, schema
from atlas.data.db import Database
from support import agreement, dump_tables, engagement, query, run_cli, write_csv

KPI = {
    "start": "2024-01-01",
    "end": "2024-12-31",
    "prev_start": "2023-01-01",
    "prev_end": "2023-12-31",
    "areas": [],
    "countries": [],
    "components": [],
    "types": [],
    "max_rank": 2,
    "partnerships": [],
}
KPI_ROW = {
    "engagements": 2,
    "countries": 2,
    "participants": 24,
    "planned": 0,
    "demo": 0,
    "prev_engagements": 0,
    "prev_countries": 0,
}


def _age(db, *, mark: str | None = "older"):
    """Make the file look built by an older version: old (or no) version mark, one rollup and a macro gone."""
    con = duckdb.connect(str(db))
    if mark is None:
        con.execute("DELETE FROM metadata WHERE key = ?", [schema.KEY])
    else:
        con.execute("UPDATE metadata SET value = ? WHERE key = ?", [mark, schema.KEY])
    con.execute("DROP TABLE engagement_place_rollup")
    con.execute("DROP MACRO TABLE activity_in")
    con.close()


def _refusal(db) -> str:
    path = db.resolve()
    return (
        f"{path} was built by another version of Partner Atlas. Bring it up to date with "
        f"`python -m atlas upgrade --db {path}` (make run does this), or rebuild it."
    )


@pytest.fixture
def two_engagements(empty_db, tmp_path):
    rows = [engagement("E1"), engagement("E2", country="MEX")]
    assert ingest.import_file(write_csv(tmp_path / "e.csv", rows), "engagements", empty_db).outcome == "success"
    return empty_db


def test_an_up_to_date_file_opens_and_answers(two_engagements):
    db = Database.open(two_engagements)
    try:
        assert db.query("kpi_engagements", KPI).to_dict("records") == [KPI_ROW]
    finally:
        db.close()


@pytest.mark.parametrize("mark", ["older", "", None], ids=["older mark", "empty mark", "no mark"])
def test_an_outdated_file_is_refused_with_the_way_out(two_engagements, mark):
    _age(two_engagements, mark=mark)
    with pytest.raises(schema.OutdatedDatabase) as caught:
        Database.open(two_engagements)
    assert type(caught.value) is schema.OutdatedDatabase and isinstance(caught.value, RuntimeError)
    assert str(caught.value) == _refusal(two_engagements)


def test_upgrade_brings_it_up_to_date_and_keeps_the_records(two_engagements):
    before = dump_tables(two_engagements)
    _age(two_engagements)
    result = run_cli("upgrade", "--db", two_engagements)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"Upgraded {two_engagements}\n", "")
    assert query(two_engagements, "SELECT value FROM metadata WHERE key = ?", [schema.KEY]) == [
        (schema.schema_version(),)
    ]
    assert dump_tables(two_engagements) == before, "records are never touched"
    db = Database.open(two_engagements)
    try:
        assert db.query("kpi_engagements", KPI).to_dict("records") == [KPI_ROW]
    finally:
        db.close()
    again = run_cli("upgrade", "--db", two_engagements)
    assert (again.returncode, again.stdout) == (0, f"{two_engagements} is up to date\n")


def test_an_import_brings_an_outdated_file_up_to_date(two_engagements, tmp_path):
    _age(two_engagements)
    path = write_csv(tmp_path / "a.csv", [agreement("A1", countries="CAN;FRA")])
    assert ingest.import_file(path, "agreements", two_engagements, today=dt.date(2025, 6, 30)).outcome == "success"
    db = Database.open(two_engagements)
    try:
        cur = db.cursor()
        assert cur.execute("SELECT agreement_id, partners, n_partners FROM agreement_facts").fetchall() == [
            ("A1", "Canada; France", 2)
        ]
        assert cur.execute(
            "SELECT iso3, engagements FROM activity_in(DATE '2024-01-01', DATE '2024-12-31', [], [], "
            "[], [], 2, []) ORDER BY iso3"
        ).fetchall() == [("FRA", 1), ("MEX", 1)]
        assert cur.execute("SELECT iso3, engagements FROM engagement_place_rollup ORDER BY iso3").fetchall() == [
            ("FRA", 1),
            ("MEX", 1),
        ]
    finally:
        db.close()


def test_upgrade_brings_in_the_shipped_facts_of_this_version_and_keeps_the_records(two_engagements):
    """Programme facts are re-sourced from time to time: a file loaded with older ones (an as-of date since
    corrected, a site since added, a mission area since recoloured, no mark at all) gets this version's on
    upgrade, with their sources; records are not touched."""
    facts = ("programs", "footprint_headlines", "organizations", "mission_areas")
    shipped = dump_tables(two_engagements, facts)
    records = dump_tables(two_engagements)
    assert query(two_engagements, "SELECT value FROM metadata WHERE key = ?", [build.REFERENCE_KEY]) == [
        (build.reference_version(),)
    ]
    con = duckdb.connect(str(two_engagements))
    con.execute("UPDATE programs SET source_as_of = '2019-01-01' WHERE program_code = 'preclearance'")
    con.execute("DELETE FROM programs WHERE program_code = 'csi'")
    con.execute("DELETE FROM organizations WHERE code = 'ICAO'")
    con.execute("UPDATE mission_areas SET colour = '#AE8D49' WHERE code = 'counterterrorism'")
    con.execute("DELETE FROM metadata WHERE key = ?", [build.REFERENCE_KEY])
    con.close()
    assert dump_tables(two_engagements, facts) != shipped

    result = run_cli("upgrade", "--db", two_engagements)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"Upgraded {two_engagements}\n", "")
    assert dump_tables(two_engagements, facts) == shipped
    assert dump_tables(two_engagements) == records, "records are never touched"
    assert query(two_engagements, "SELECT value FROM metadata WHERE key = ?", [build.REFERENCE_KEY]) == [
        (build.reference_version(),)
    ]
    assert run_cli("upgrade", "--db", two_engagements).stdout == f"{two_engagements} is up to date\n"


def test_the_facts_mark_changes_with_every_shipped_fact():
    """reference_version() reads every file the facts come from, and the mission areas."""
    names = {*build.PROGRAM_FILES, build.HEADLINES_FILE, "organizations.csv"}
    assert names == {p.name for p in REFERENCE_DIR.glob("*.csv")}
    assert len(build.reference_version()) == 16
