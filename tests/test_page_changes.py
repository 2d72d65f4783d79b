"""The What changed page's 'added or changed since' on imported files, and the last-briefing mark: saved when a briefing
is presented or exported, kept beside the database, and the default 'since'."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from apptest_support import metric, run_page
from atlas.data import ingest, marks
from support import TODAY, agreement, engagement, write_csv

BRIEFING = "pages/6_Briefing.py"
CHANGES = "pages/11_What_Changed.py"


@pytest.fixture
def imported_db(empty_db, tmp_path, monkeypatch):
    """Three engagements and two agreements imported, a briefing marked, then a second import: one engagement
    new (dated last year), one changed, one cancelled (status); one agreement signed (status), one unchanged."""
    engagements = [
        engagement("E1", start_date="2025-06-01", end_date=""),
        engagement("E2", start_date="2025-06-02", end_date=""),
        engagement("E3", start_date="2025-07-15", end_date="", status="planned"),
    ]
    agreements = [
        agreement("A1"),
        agreement("A2", status="negotiation", date_signed="", date_in_force="", date_expires=""),
    ]

    def load(name, table, rows):
        result = ingest.import_file(write_csv(tmp_path / f"{name}.csv", rows), table, empty_db, today=TODAY)
        assert result.outcome == "success", ingest.problems_text(result)

    load("e1", "engagements", engagements)
    load("a1", "agreements", agreements)
    time.sleep(1.1)  # marks are kept to the second
    marks.save(empty_db, "presented", by="another session")
    time.sleep(1.1)
    engagements[1]["title"] = "Renamed"
    engagements[2]["status"] = "cancelled"
    engagements.append(engagement("E4", start_date="2024-02-01", end_date="", country="MEX"))
    agreements[1].update(status="signed", date_signed="2025-06-20")
    load("e2", "engagements", engagements)
    load("a2", "agreements", agreements)
    monkeypatch.setenv("ATLAS_DB", str(empty_db))
    monkeypatch.setenv("ATLAS_TODAY", TODAY.isoformat())
    monkeypatch.delenv("ATLAS_MAX_SENSITIVITY", raising=False)
    return empty_db


def _captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_the_page_counts_what_imports_added_or_changed_since_the_last_briefing(imported_db):
    mark = marks.load(imported_db)
    at = run_page(CHANGES)
    assert not at.exception
    assert f"Showing changes since the last briefing, {mark.at:%d %b %H:%M}, presented." in _captions(at)
    assert metric(at, "New records").value == "1"
    assert metric(at, "Status changed").value == "2"
    assert metric(at, "Changed records").value == "1"
    assert metric(at, "Imports").value == "2"
    tabs = [t.label for t in at.tabs]
    assert tabs[-3:] == ["New records (1)", "Status changed (2)", "Changed records (1)"]
    frames = [d.value for d in at.dataframe]
    status = next(f for f in frames if "status_change" in f.columns and len(f) == 2)
    assert sorted(zip(status["record_id"], status["status_change"])) == [
        ("A2", "In negotiation → Signed"),
        ("E3", "Planned → Cancelled"),
    ]


def test_a_date_chosen_replaces_the_default_and_says_so(imported_db):
    at = run_page(CHANGES, query={"since": "2025-01-01"})
    assert "Showing changes since 01 Jan 2025 (the date chosen)." in _captions(at)
    # every record was first imported after 1 January 2025 (the test machine's clock): all new
    assert metric(at, "New records").value == "6"
    assert metric(at, "Changed records").value == "0"


def test_without_a_mark_the_default_is_thirty_days_and_says_so(imported_db):
    marks.mark_path(imported_db).unlink()
    at = run_page(CHANGES)
    assert "Showing changes since 31 May 2025 (30 days ago; no briefing recorded yet)." in _captions(at)


def test_the_ceiling_holds(imported_db, monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "public")  # every record here is internal
    at = run_page(CHANGES)
    for label in ("New records", "Status changed", "Changed records", "Imports"):
        assert metric(at, label).value == "0"


def test_reaching_the_last_slide_marks_a_briefing_given(imported_db):
    before = marks.load(imported_db)
    at = run_page(BRIEFING)
    assert marks.load(imported_db) == before, "the first slide alone is not a briefing"
    at.button(key="brief_prev").click().run()  # wraps to the last slide
    assert not at.exception
    mark = marks.load(imported_db)
    assert mark is not None and mark.via == "presented" and mark.at > before.at
    saved = json.loads(marks.mark_path(imported_db).read_text())
    assert set(saved) == {"at", "via", "by"}
    # The session giving the briefing still counts since the previous one; a new session since this one.
    at.query_params.clear()  # leave briefing mode
    at.switch_page(CHANGES).run()
    assert f"since the last briefing, {before.at:%d %b %H:%M}" in _captions(at)
    assert f"since the last briefing, {mark.at:%d %b %H:%M}" in _captions(run_page(CHANGES))


def test_the_kiosk_wall_screen_marks_nothing(imported_db):
    before = marks.load(imported_db)
    at = run_page(BRIEFING, query={"mode": "briefing", "kiosk": "1"})
    at.button(key="brief_prev").click().run()
    assert marks.load(imported_db) == before


def test_an_export_marks_a_briefing_given(imported_db, captured_downloads):
    marks.mark_path(imported_db).unlink()
    run_page(BRIEFING)
    assert marks.load(imported_db) is None
    data = captured_downloads["partner-atlas-briefing.pptx"]()
    assert data[:2] == b"PK"
    mark = marks.load(imported_db)
    assert mark is not None and mark.via == "exported_pptx"
    assert abs(mark.at - dt.datetime.now()) < dt.timedelta(minutes=5)


def test_a_damaged_mark_reads_as_none_and_a_save_replaces_it_whole(tmp_path):
    db = tmp_path / "atlas.duckdb"
    marks.mark_path(db).write_text("{not json")
    assert marks.load(db) is None
    saved = marks.save(db, "exported_pdf", at=dt.datetime(2026, 11, 28, 14, 5, 31, 999))
    assert marks.load(db) == saved and saved.describe() == "28 Nov 14:05, exported as .pdf"
    assert [p.name for p in tmp_path.iterdir()] == ["atlas.duckdb.briefing.json"], "no temporary file left"
    with pytest.raises(ValueError):
        marks.save(db, "whispered")
