"""agreement_facts and agreement_status_spans follow every agreements import."""

from __future__ import annotations

import datetime as dt

from atlas.data import build, ingest
from atlas.data.db import Database
from support import agreement, query, write_csv


def test_facts_follow_changed_parties(empty_db, tmp_path):
    first = write_csv(
        tmp_path / "a1.csv",
        [
            agreement("A1", countries="FRA;CAN"),
            agreement("A2", countries="MEX", status="negotiation", date_signed="", date_in_force="", date_expires=""),
        ],
    )
    assert ingest.import_file(first, "agreements", empty_db).outcome == "success"
    rows = query(
        empty_db,
        "SELECT agreement_id, partners, iso3s, n_partners, first_event, dated_from FROM agreement_facts ORDER BY 1",
    )
    assert [(r[0], r[1], list(r[2]), r[3]) for r in rows] == [
        ("A1", "Canada; France", ["CAN", "FRA"], 2),
        ("A2", "Mexico", ["MEX"], 1),
    ]
    assert str(rows[0][4]) == "2020-01-15" == str(rows[0][5])  # signed: its first event and where its life starts
    assert rows[1][5] is None  # in negotiation: no dates yet
    second = write_csv(tmp_path / "a2.csv", [agreement("A1", countries="GBR", title="Renamed")])
    assert ingest.import_file(second, "agreements", empty_db).updated == 1
    rows = query(empty_db, "SELECT agreement_id, title, partners, n_partners FROM agreement_facts ORDER BY 1")
    assert rows == [("A1", "Renamed", "United Kingdom", 1), ("A2", agreement("A2")["title"], "Mexico", 1)]


def test_facts_hold_every_agreement_as_stored(empty_db, tmp_path):
    path = write_csv(tmp_path / "a.csv", [agreement(f"A{i}", countries="CAN;MEX") for i in range(5)])
    assert ingest.import_file(path, "agreements", empty_db).outcome == "success"
    columns = (
        "agreement_id, title, agreement_type, mission_area, status, date_signed, date_in_force, date_expires, "
        "component, summary, sensitivity_rank, is_demo"
    )
    assert query(empty_db, f"SELECT {columns} FROM agreement_facts ORDER BY 1") == query(
        empty_db, f"SELECT {columns} FROM agreements ORDER BY 1"
    )


def test_status_on_a_day_from_spans_is_the_latest_event_by_then(tmp_path):
    """Every day from before the first event to after the last: the spans give what the history says."""
    path = tmp_path / "atlas.duckdb"
    build.build(path, engagements=200, agreements=120, seed=11, today=dt.date(2026, 11, 30))
    database = Database.open(path)
    try:
        cur = database.cursor()
        days = cur.execute("SELECT min(changed_on) - 1, max(changed_on) + 1 FROM agreement_status_history").fetchone()
        assert (
            cur.execute("SELECT count(*) FROM agreement_status_spans").fetchone()[0]
            == cur.execute("SELECT count(*) FROM agreement_status_history").fetchone()[0]
            > 120
        )
        differ = cur.execute(
            """
            WITH days AS (SELECT CAST(d AS DATE) AS day FROM range(CAST(? AS DATE), CAST(? AS DATE), INTERVAL 13 DAY) t(d)),
            by_history AS (
                SELECT day, agreement_id, arg_max(status, (changed_on, event_order)) AS status
                FROM days JOIN agreement_status_history ON changed_on <= day GROUP BY ALL),
            by_spans AS (
                SELECT day, agreement_id, status FROM days JOIN agreement_status_spans
                ON valid_from <= day AND (valid_to IS NULL OR valid_to > day))
            SELECT count(*) FROM (
                (SELECT * FROM by_history EXCEPT ALL SELECT * FROM by_spans)
                UNION ALL
                (SELECT * FROM by_spans EXCEPT ALL SELECT * FROM by_history))""",
            list(days),
        ).fetchone()[0]
        assert differ == 0
    finally:
        database.close()


def test_events_on_the_same_day_leave_the_last_one_standing(empty_db, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [agreement("A1", date_signed="2021-05-05", date_in_force="2021-05-05", date_expires="2031-05-05")],
    )
    assert ingest.import_file(path, "agreements", empty_db).outcome == "success"
    assert query(
        empty_db,
        "SELECT status, valid_from, valid_to FROM agreement_status_spans ORDER BY valid_from, valid_to NULLS LAST",
    ) == [("signed", dt.date(2021, 5, 5), dt.date(2021, 5, 5)), ("in_force", dt.date(2021, 5, 5), None)]
    for day, status in (("2021-05-04", []), ("2021-05-05", [("in_force",)]), ("2030-01-01", [("in_force",)])):
        assert query(empty_db, f"SELECT status FROM agreement_status_on(DATE '{day}')") == status
