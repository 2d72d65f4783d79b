"""atlas.data.schema: creating the schema and macros, the version mark, bringing an older file up to date,
and rebuilding the derived tables to exactly what an import leaves."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import duckdb
import pytest

from atlas.data import ingest, schema
from support import DATA_TABLES, TODAY, agreement, dump_tables, engagement, query, write_csv

SCHEMA_TEXT = schema.SCHEMA_SQL.read_text(encoding="utf-8")
MACROS_TEXT = schema.MACROS_SQL.read_text(encoding="utf-8")
TABLES = sorted(re.findall(r"^CREATE TABLE (\w+)", SCHEMA_TEXT, re.M))
MACROS = sorted(set(re.findall(r"^CREATE OR REPLACE MACRO (\w+)", MACROS_TEXT, re.M)))
DERIVED = (
    "engagement_rollup",
    "engagement_area_rollup",
    "engagement_place_rollup",
    "engagement_day_rollup",
    "engagement_day_country_rollup",
    "engagement_org_rollup",
    "engagement_multilateral",
    "agreement_facts",
    "agreement_status_spans",
)


def _tables(con) -> list[str]:
    return sorted(r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall())


def _macros(con) -> list[str]:
    return sorted(
        r[0]
        for r in con.execute(
            "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type IN ('macro', 'table_macro') "
            "AND NOT internal AND schema_name = 'main'"
        ).fetchall()
    )


@pytest.fixture
def filled_db(empty_db, tmp_path):
    """The empty build with two engagements and two agreements imported."""
    engagements = [
        engagement("E1"),
        engagement(
            "E2",
            country="MEX",
            city="",
            latitude="",
            longitude="",
            start_date="2024-04-02",
            end_date="",
            participants="30",
        ),
    ]
    agreements = [
        agreement("A1", countries="FRA;CAN"),
        agreement("A2", countries="MEX", status="negotiation", date_signed="", date_in_force="", date_expires=""),
    ]
    assert (
        ingest.import_file(write_csv(tmp_path / "e.csv", engagements), "engagements", empty_db, today=TODAY).outcome
        == "success"
    )
    assert (
        ingest.import_file(write_csv(tmp_path / "a.csv", agreements), "agreements", empty_db, today=TODAY).outcome
        == "success"
    )
    return empty_db


def test_the_version_is_the_hash_of_both_files():
    digest = hashlib.sha256(schema.SCHEMA_SQL.read_bytes() + schema.MACROS_SQL.read_bytes()).hexdigest()
    assert schema.schema_version() == digest[:16]


def test_create_makes_every_table_sequence_and_macro():
    con = duckdb.connect()
    schema.create(con)
    assert TABLES and _tables(con) == TABLES
    assert MACROS and _macros(con) == MACROS
    assert con.execute("SELECT sequence_name FROM duckdb_sequences()").fetchall() == [("import_id_seq",)]
    con.close()


def test_is_current_reads_the_version_mark():
    con = duckdb.connect()
    schema.create(con)
    assert schema.is_current(con) is False  # no mark yet
    schema.set_metadata(con, schema.KEY, "older")
    assert schema.is_current(con) is False
    schema.mark_current(con)
    assert schema.is_current(con) is True
    assert con.execute("SELECT value FROM metadata WHERE key = 'schema_version'").fetchall() == [
        (schema.schema_version(),)
    ]
    con.close()


def test_a_built_file_is_current(empty_db):
    assert query(empty_db, "SELECT value FROM metadata WHERE key = ?", [schema.KEY]) == [(schema.schema_version(),)]


def test_bring_up_to_date_restores_what_an_older_version_lacked(filled_db):
    records, derived = dump_tables(filled_db), dump_tables(filled_db, DERIVED)
    con = duckdb.connect(str(filled_db))
    try:
        con.execute("UPDATE metadata SET value = 'older' WHERE key = ?", [schema.KEY])
        con.execute("DROP TABLE engagement_place_rollup")
        con.execute("DROP TABLE engagement_day_country_rollup")  # added by a later version: filled on upgrade
        con.execute("DROP TABLE agreement_status_spans")
        con.execute("DROP MACRO TABLE activity_in")
        con.execute("DELETE FROM agreement_facts")
        con.execute("CREATE TABLE agreement_summary (agreement_id VARCHAR)")  # an earlier version's table
        assert schema.is_current(con) is False
        assert schema.bring_up_to_date(con) is True
        assert schema.is_current(con) is True
        assert _tables(con) == TABLES  # the missing tables back, agreement_summary gone
        assert _macros(con) == MACROS
        assert con.execute(
            "SELECT iso3, engagements FROM activity_in(DATE '2024-01-01', DATE '2024-12-31', [], [], "
            "[], [], 2, []) ORDER BY iso3"
        ).fetchall() == [("FRA", 1), ("MEX", 1)]
        assert schema.bring_up_to_date(con) is False
    finally:
        con.close()
    assert dump_tables(filled_db) == records, "records are never touched"
    assert dump_tables(filled_db, DERIVED) == derived


def test_bring_up_to_date_leaves_a_current_file_alone(filled_db):
    con = duckdb.connect(str(filled_db))
    try:
        con.execute("DELETE FROM engagement_rollup")
        assert schema.bring_up_to_date(con) is False
        assert con.execute("SELECT count(*) FROM engagement_rollup").fetchone() == (0,)  # nothing was rebuilt
    finally:
        con.close()


def test_the_rollups_after_an_import_are_exact(filled_db):
    # Both bilateral: several and with_org (the partnership kind) are false.
    assert query(filled_db, "SELECT * FROM engagement_rollup ORDER BY month") == [
        (dt.date(2024, 3, 1), "FRA", "visa", "CBP", "meeting", 1, 1, 0, 0, 12, 0, None, False, False, 0),
        (dt.date(2024, 4, 1), "MEX", "visa", "CBP", "meeting", 1, 1, 0, 0, 30, 0, None, False, False, 0),
    ]
    assert query(filled_db, "SELECT * FROM engagement_area_rollup ORDER BY month") == [
        (dt.date(2024, 3, 1), "FRA", "visa", 1, 1, 0, 0, 12, 0, 0, None, False, False),
        (dt.date(2024, 4, 1), "MEX", "visa", 1, 1, 0, 0, 30, 0, 0, None, False, False),
    ]
    assert query(filled_db, "SELECT * FROM engagement_day_country_rollup ORDER BY day") == [
        (dt.date(2024, 3, 5), "FRA", "visa", 1, 1, 0, 0, 12, 0, 0, None, False, False),
        (dt.date(2024, 4, 2), "MEX", "visa", 1, 1, 0, 0, 30, 0, 0, None, False, False),
    ]
    assert query(filled_db, "SELECT * FROM engagement_day_rollup ORDER BY day") == [
        (dt.date(2024, 3, 5), "visa", 1, 1, 0, 0, 12, 0, 0, False, False),
        (dt.date(2024, 4, 2), "visa", 1, 1, 0, 0, 30, 0, 0, False, False),
    ]
    places = query(
        filled_db,
        "SELECT month, iso3, lat, lon, engagements, latest, approximate, place "
        "FROM engagement_place_rollup ORDER BY month",
    )
    assert places[0] == (dt.date(2024, 3, 1), "FRA", 48.86, 2.35, 1, dt.date(2024, 3, 5), False, "Paris")
    assert places[1][:2] + places[1][4:] == (dt.date(2024, 4, 1), "MEX", 1, dt.date(2024, 4, 2), True, "Mexico")
    assert query(
        filled_db,
        "SELECT agreement_id, partners, iso3s, n_partners, dated_from, first_event FROM agreement_facts ORDER BY 1",
    ) == [
        ("A1", "Canada; France", ["CAN", "FRA"], 2, dt.date(2020, 1, 15), dt.date(2020, 1, 15)),
        ("A2", "Mexico", ["MEX"], 1, None, TODAY),
    ]
    assert query(filled_db, "SELECT * FROM agreement_status_spans ORDER BY ALL") == [
        ("A1", "in_force", dt.date(2020, 3, 1), None),
        ("A1", "signed", dt.date(2020, 1, 15), dt.date(2020, 3, 1)),
        ("A2", "negotiation", TODAY, None),
    ]


def test_rebuilding_the_derived_tables_gives_what_the_import_left(filled_db):
    before = dump_tables(filled_db, DERIVED)
    assert [len(before[t]) for t in DERIVED] == [2, 2, 2, 2, 2, 0, 0, 2, 3]
    con = duckdb.connect(str(filled_db))
    try:
        for table in DERIVED:
            con.execute(f"DELETE FROM {table}")
        schema.rebuild_rollup(con)
        schema.rebuild_agreement_facts(con)
    finally:
        con.close()
    assert dump_tables(filled_db, DERIVED) == before
    assert set(DERIVED) < set(TABLES) and set(DATA_TABLES) < set(TABLES)
