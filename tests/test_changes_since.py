"""Added or changed since a moment: record times kept by the import, the lists by import time (not event date),
the filters and the ceiling, and an older database brought forward with every record kept."""

from __future__ import annotations

import datetime as dt
import time

import duckdb
import pytest

from atlas.data import db, ingest, schema
from atlas.data.filters import default_filters
from support import DATA_TABLES, TODAY, agreement, dump_tables, engagement, query, write_csv

ALL = default_filters(TODAY, 2).params()


def _import(db_path, tmp_path, table, rows, name):
    result = ingest.import_file(write_csv(tmp_path / f"{name}.csv", rows), table, db_path, today=TODAY)
    assert result.outcome == "success", ingest.problems_text(result)
    return result


def _changes(db_path, since_at, **params) -> dict[tuple[str, str], list[str]]:
    database = db.Database.open(db_path)
    try:
        frame = database.query("records_changed_since", ALL | {"since_at": since_at, "limit": 100} | params)
    finally:
        database.close()
    got: dict[tuple[str, str], list[str]] = {}
    for r in frame.itertuples():
        got.setdefault((r.record, r.change), []).append(r.record_id)
        assert r.total == len(frame[(frame.record == r.record) & (frame.change == r.change)])
    return {k: sorted(v) for k, v in got.items()}


def _pause() -> dt.datetime:
    """A moment strictly between two imports (record times are kept to the microsecond)."""
    time.sleep(0.01)
    moment = dt.datetime.now()
    time.sleep(0.01)
    return moment


@pytest.fixture
def imported_twice(empty_db, tmp_path):
    """Four engagements and three agreements; then, after `moment`, a second import of the same files with one
    engagement changed, one engagement cancelled, one new engagement (dated last year: by event date it is old),
    one agreement changed in its title, one agreement gone from negotiation to signed."""
    engagements = [engagement(f"E{i}", start_date=f"2025-0{i}-10", end_date="") for i in range(1, 5)]
    engagements[3]["status"] = "planned"
    agreements = [
        agreement("A1"),
        agreement("A2", countries="MEX", status="negotiation", date_signed="", date_in_force="", date_expires=""),
        agreement("A3", countries="CAN", sensitivity="restricted"),
    ]
    _import(empty_db, tmp_path, "engagements", engagements, "e1")
    _import(empty_db, tmp_path, "agreements", agreements, "a1")
    moment = _pause()
    engagements[0]["title"] = "Engagement E1, renamed"
    engagements[3]["status"] = "cancelled"
    engagements.append(engagement("E5", start_date="2024-05-01", end_date="", country="MEX"))
    agreements[0]["title"] = "Agreement A1, renamed"
    agreements[1].update(status="signed", date_signed="2025-06-20")
    second = _import(empty_db, tmp_path, "engagements", engagements, "e2")
    assert (second.inserted, second.updated, second.unchanged) == (1, 2, 2)
    second = _import(empty_db, tmp_path, "agreements", agreements, "a2")
    assert (second.inserted, second.updated, second.unchanged) == (0, 2, 1)
    return empty_db, moment


def test_records_keep_when_they_were_first_imported_and_last_changed(imported_twice):
    path, moment = imported_twice
    rows = {
        r[0]: r[1:]
        for r in query(
            path, "SELECT engagement_id, first_imported_at < ?, updated_at < ? FROM engagements", [moment] * 2
        )
    }
    assert rows == {
        "E1": (True, False),  # first imported before, changed after
        "E2": (True, True),  # untouched by the second import
        "E3": (True, True),
        "E4": (True, False),
        "E5": (False, False),  # new
    }
    assert query(path, "SELECT engagement_id, previous_status, status FROM engagement_status_history") == [
        ("E4", "planned", "cancelled")
    ]


def test_added_or_changed_since_lists_exact_records(imported_twice):
    path, moment = imported_twice
    assert _changes(path, moment) == {
        ("engagement", "new"): ["E5"],
        ("engagement", "changed"): ["E1"],
        ("engagement", "status"): ["E4"],
        ("agreement", "changed"): ["A1"],
        ("agreement", "status"): ["A2"],
    }
    # Before the first import every record is new; after the second, nothing is.
    assert _changes(path, dt.datetime(2000, 1, 1)) == {
        ("engagement", "new"): ["E1", "E2", "E3", "E4", "E5"],
        ("agreement", "new"): ["A1", "A2", "A3"],
    }
    assert _changes(path, dt.datetime.now() + dt.timedelta(seconds=1)) == {}


def test_the_limit_keeps_the_most_recently_written_and_counts_them_all(imported_twice):
    """Over the limit, the records of the latest import come first (then by id); total still counts every one."""
    path, _ = imported_twice
    database = db.Database.open(path)
    try:
        frame = database.query("records_changed_since", ALL | {"since_at": dt.datetime(2000, 1, 1), "limit": 3})
    finally:
        database.close()
    new = frame[(frame.record == "engagement") & (frame.change == "new")]
    assert list(new.record_id) == ["E1", "E4", "E5"]  # written by the second import; E2 and E3 by the first
    assert set(new.total) == {5}
    assert list(new.title) == ["Engagement E1, renamed", "Engagement E4", "Engagement E5"]
    agreements = frame[frame.record == "agreement"]
    assert list(agreements.record_id) == ["A1", "A2", "A3"] and set(agreements.total) == {3}


def test_status_before_is_the_status_at_the_moment(imported_twice):
    path, moment = imported_twice
    database = db.Database.open(path)
    try:
        frame = database.query("records_changed_since", ALL | {"since_at": moment, "limit": 100})
    finally:
        database.close()
    status = frame[frame.change == "status"].set_index("record_id")
    assert (status.loc["E4", "status_before"], status.loc["E4", "status"]) == ("planned", "cancelled")
    assert (status.loc["A2", "status_before"], status.loc["A2", "status"]) == ("negotiation", "signed")


def test_the_filters_and_the_ceiling_apply_but_not_the_period(imported_twice):
    path, moment = imported_twice
    assert _changes(path, dt.datetime(2000, 1, 1), max_rank=1) == {  # A3 is restricted
        ("engagement", "new"): ["E1", "E2", "E3", "E4", "E5"],
        ("agreement", "new"): ["A1", "A2"],
    }
    mexico = _changes(path, moment, countries=["MEX"])
    assert mexico == {("engagement", "new"): ["E5"], ("agreement", "status"): ["A2"]}
    assert _changes(path, moment, areas=["cargo"]) == {}
    assert _changes(path, moment, statuses=["signed"]) == {
        ("engagement", "new"): ["E5"],
        ("engagement", "changed"): ["E1"],
        ("engagement", "status"): ["E4"],
        ("agreement", "status"): ["A2"],
    }
    # E5 starts in 2024, far outside a period of this year: it is listed all the same.
    assert _changes(path, moment, start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30))[("engagement", "new")] == ["E5"]


def test_the_imports_since_are_listed(imported_twice):
    path, moment = imported_twice
    database = db.Database.open(path)
    try:
        frame = database.query("imports_since", {"since_at": moment, "max_rank": 2})
    finally:
        database.close()
    assert sorted(zip(frame.table_name, frame.inserted, frame.updated)) == [("agreements", 0, 2), ("engagements", 1, 2)]


def test_upgrade_of_an_older_database_keeps_every_record(imported_twice, tmp_path):
    """A file from before record times were kept: no first_imported_at, no engagement status history."""
    path, moment = imported_twice
    before = dump_tables(path, DATA_TABLES, drop=("first_imported_at",))
    con = duckdb.connect(str(path))
    try:
        con.execute("UPDATE metadata SET value = 'older' WHERE key = ?", [schema.KEY])
        con.execute("ALTER TABLE engagements DROP COLUMN first_imported_at")
        con.execute("ALTER TABLE agreements DROP COLUMN first_imported_at")
        con.execute("DROP TABLE engagement_status_history")
    finally:
        con.close()
    with pytest.raises(schema.OutdatedDatabase):
        db.Database.open(path)
    from support import run_cli

    done = run_cli("upgrade", "--db", path)
    assert done.returncode == 0, done.stderr
    assert dump_tables(path, DATA_TABLES, drop=("first_imported_at",)) == before, "every record kept, unchanged"
    assert query(path, "SELECT count(*) FROM engagements WHERE first_imported_at IS NULL") == [(5,)]
    # Unknown first imports count as changed, never as new; the next import stamps what it writes.
    assert _changes(path, moment) == {
        ("engagement", "changed"): ["E1", "E4", "E5"],  # E4's status change was not kept by the older version
        ("agreement", "changed"): ["A1"],
        ("agreement", "status"): ["A2"],  # agreements kept their status history
    }
    later = _pause()
    _import(path, tmp_path, "engagements", [engagement("E6"), engagement("E1", title="again")], "e3")
    assert _changes(path, later) == {("engagement", "new"): ["E6"], ("engagement", "changed"): ["E1"]}
    assert query(path, "SELECT first_imported_at IS NULL FROM engagements WHERE engagement_id = 'E1'") == [(True,)]


def test_a_multilateral_record_is_found_by_any_partner_and_names_every_partner(empty_db, tmp_path):
    """The country filter admits an engagement with any of its partner countries, and partners lists them all (the
    first listed first), then its organizations; an engagement with organizations only is listed too."""
    moment = _pause()
    rows = [
        engagement("M1", country="MEX;CAN", organizations="OAS"),
        engagement("M2", country="FRA"),
        engagement("M3", country="", organizations="ICAO;INTERPOL"),
    ]
    _import(empty_db, tmp_path, "engagements", rows, "m")
    assert _changes(empty_db, moment, countries=["CAN"]) == {("engagement", "new"): ["M1"]}
    assert _changes(empty_db, moment, countries=["MEX"]) == {("engagement", "new"): ["M1"]}
    assert _changes(empty_db, moment, countries=["FRA", "CAN"]) == {("engagement", "new"): ["M1", "M2"]}
    assert _changes(empty_db, moment) == {("engagement", "new"): ["M1", "M2", "M3"]}
    database = db.Database.open(empty_db)
    try:
        frame = database.query("records_changed_since", ALL | {"since_at": moment, "limit": 100})
    finally:
        database.close()
    partners = dict(zip(frame.record_id, frame.partners))
    assert partners == {
        "M1": "Mexico; Canada; Organization of American States",
        "M2": "France",
        "M3": "International Civil Aviation Organization; International Criminal Police Organization",
    }
