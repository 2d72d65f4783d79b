"""Issue 15, nothing lost, nothing leaked: broken files at start-up, the ceiling on whole-table queries,
the audit beside the database, and exports that import back unchanged."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from atlas.data import audit, export, ingest
from atlas.data.build import build
from atlas.data.db import BrokenDatabase, Database, connect
from support import dump_tables, engagement, query, write_csv

TODAY = dt.date(2025, 6, 30)
PUBLIC, INTERNAL, RESTRICTED = 0, 1, 2


def load(db: Path, folder: Path, name: str, rows: list[dict]) -> ingest.ImportResult:
    result = ingest.import_file(write_csv(folder / f"{name}.csv", rows), "engagements", db, today=TODAY)
    assert result.outcome == "success", ingest.problems_text(result)
    return result


# --- 12: a broken database at start-up says which file, what is wrong and what to do ----------------


def _truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _zeroed(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[4096:] = bytes(len(data) - 4096)
    db.write_bytes(bytes(data))


def _sqlite(db: Path) -> None:
    db.unlink()
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE metadata (key TEXT, value TEXT)")
    con.commit()
    con.close()


def _directory(db: Path) -> None:
    db.unlink()
    db.mkdir()


def _garbage_wal(db: Path) -> None:
    db.with_name(db.name + ".wal").write_bytes(os.urandom(4096))


BREAKAGES = {
    "truncated": (_truncated, "cannot be read"),
    "zeroed": (_zeroed, "cannot be read"),
    "csv": (lambda db: db.write_text("engagement_id,title\nE1,x\n"), "is not a DuckDB database file"),
    "empty": (lambda db: db.write_bytes(b""), "is not a DuckDB database file"),
    "sqlite": (_sqlite, "is a SQLite file"),
    "directory": (_directory, "is a folder"),
    "garbage wal": (_garbage_wal, "write-ahead log"),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_broken_database_gives_one_clear_error(empty_db, breakage):
    damage, problem = BREAKAGES[breakage]
    damage(empty_db)
    with pytest.raises(BrokenDatabase) as caught:
        Database.open(empty_db).close()
    message = str(caught.value)
    assert message.startswith(f"The database {empty_db} ") and problem in message
    assert "python -m atlas restore" in message and "python -m atlas build" in message
    assert caught.value.path == empty_db


def test_a_sqlite_file_never_makes_duckdb_fetch_an_extension(empty_db, tmp_path, monkeypatch):
    _sqlite(empty_db)
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(BrokenDatabase, match="SQLite"):
        Database.open(empty_db)
    con = connect()
    try:
        assert con.execute(
            "SELECT current_setting('autoload_known_extensions'), current_setting('autoinstall_known_extensions')"
        ).fetchone() == (False, False)
        # even handed straight to DuckDB, the file is refused without an install attempt
        with pytest.raises(duckdb.Error, match="(?i)install"):
            con.execute("ATTACH ? AS s", [str(empty_db)])
    finally:
        con.close()
    assert not (home / ".duckdb" / "extensions").exists()


def test_damage_found_by_a_later_query_is_the_same_clear_error(tmp_path, empty_db):
    load(empty_db, tmp_path, "many", [engagement(f"E{i}", title="x" * 400) for i in range(3000)])
    database = Database.open(empty_db)
    try:
        size = empty_db.stat().st_size
        data = bytearray(empty_db.read_bytes())
        data[size // 3 : size - 8192] = bytes(size - 8192 - size // 3)  # the data blocks, not the header
        with open(empty_db, "r+b") as f:  # in place: the open view reads the same inode
            f.write(bytes(data))
        with pytest.raises(BrokenDatabase, match=f"The database {empty_db} is damaged"):
            database.query(
                "engagements_export",
                {
                    "start": dt.date(2000, 1, 1),
                    "end": TODAY,
                    "areas": [],
                    "countries": [],
                    "components": [],
                    "types": [],
                    "max_rank": 2,
                    "partnerships": [],
                },
            )
    finally:
        database.close()


# --- 6: the whole-table queries read through the ceiling ------------------------------------------


@pytest.fixture
def levels_db(tmp_path, empty_db) -> Path:
    load(
        empty_db,
        tmp_path,
        "internal",
        [
            engagement("I1", start_date="2024-05-02", end_date="", sensitivity="internal"),
            engagement("P1", start_date="2024-06-10", end_date="", sensitivity="public"),
        ],
    )
    load(
        empty_db,
        tmp_path,
        "secret",
        [engagement("R1", start_date="2019-01-05", end_date="", sensitivity="restricted", title="Restricted visit")],
    )
    bad = write_csv(
        tmp_path / "restricted_names.csv", [engagement("R2", country="Secretland", sensitivity="restricted")]
    )
    assert ingest.import_file(bad, "engagements", empty_db, today=TODAY).outcome == "rejected"
    return empty_db


def test_freshness_counts_only_admitted_records_and_imports(levels_db):
    database = Database.open(levels_db)
    try:
        log = {r[0]: r[1] for r in query(levels_db, "SELECT file_name, finished_at FROM import_log")}
        for rank, records, last in (
            (PUBLIC, 1, "internal.csv"),
            (INTERNAL, 2, "internal.csv"),
            (RESTRICTED, 3, "secret.csv"),
        ):
            row = database.query("data_freshness", {"max_rank": rank}).set_index("table_name").loc["engagements"]
            assert row.records == records
            assert pd.Timestamp(row.last_import) == pd.Timestamp(log[last])
        # no ceiling given: public (fails closed)
        assert database.query("data_freshness").set_index("table_name").loc["engagements"].records == 1
    finally:
        database.close()


def test_history_and_range_hide_what_is_above_the_ceiling(levels_db):
    database = Database.open(levels_db)
    try:
        internal = database.query("import_history", {"max_rank": INTERNAL, "limit": 50})
        assert list(internal.file_name) == ["internal.csv"]
        everything = database.query("import_history", {"max_rank": RESTRICTED, "limit": 50})
        assert list(everything.file_name) == ["restricted_names.csv", "secret.csv", "internal.csv"]
        assert "Secretland" not in internal.to_csv()
        first = database.query("data_range", {"max_rank": INTERNAL}).first_day[0]
        assert pd.Timestamp(first).date() == dt.date(2024, 5, 1)
        assert pd.Timestamp(database.query("data_range", {"max_rank": RESTRICTED}).first_day[0]).date() == dt.date(
            2019, 1, 1
        )
    finally:
        database.close()


# --- 5: the audit ----------------------------------------------------------------------------------


def test_the_audit_is_append_only_and_obeys_the_ceiling(tmp_path, empty_db):
    source = write_csv(tmp_path / "restricted.csv", [engagement("R1", sensitivity="restricted")])
    # the import writes its own entry, at the level of the restricted row it brought
    ingest.import_file(source, "engagements", empty_db, today=TODAY, who="analyst@example.gov")
    audit.record_failure(empty_db, "engagements", source, OSError(28, "No space left on device"), max_rank=None)
    audit.record(empty_db, "import", "success", file=source, counts={"inserted": 1}, max_rank=INTERNAL)
    path = audit.audit_path(empty_db)
    with open(path, "ab") as f:
        f.write(b'{"at": "cut short')  # a crash in mid-line
    assert [e["max_rank"] for e in audit.read(empty_db, RESTRICTED)] == [INTERNAL, None, RESTRICTED]
    assert [e["max_rank"] for e in audit.read(empty_db, INTERNAL)] == [INTERNAL]
    assert audit.read(empty_db, PUBLIC) == []
    first = audit.read(empty_db, RESTRICTED)[-1]
    assert (first["who"], first["signed_in"], first["outcome"], first["file_name"]) == (
        "analyst@example.gov",
        True,
        "success",
        "restricted.csv",
    )
    assert first["counts"] == {"rows_read": 1, "inserted": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    assert first["sha256"] == audit.sha256_file(source) and first["at"].endswith("+00:00")
    failed = audit.read(empty_db, RESTRICTED)[1]
    assert failed["outcome"] == "error" and "No space left on device" in failed["message"]
    assert failed["who"] == audit.os_user() and not failed["signed_in"]
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    # a restore swaps the database file, never the audit beside it
    before = path.read_bytes()
    from atlas.data import store

    store.restore(empty_db)
    assert path.read_bytes().startswith(before)
    assert audit.read(empty_db, PUBLIC)[0]["action"] == "restore"


# --- 9: an export imports back unchanged, hostile values included ----------------------------------

HOSTILE_TITLES = [
    "=1+6",
    "'=1+6",
    "\r=1+6",
    "@SUM(A1)",
    " =HYPERLINK(1)",
    "＝1+1",
    "-2+3",
    "-5",
    "+cmd|' /C calc'!A0",
    "''@x",
    "plain",
    "a\rb",
]
HOSTILE_IDS = ["=E1", "'=E1", "-E2", "'-E2", "@E3", "E4"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_with_hostile_values_imports_back_unchanged(tmp_path, empty_db, kind):
    rows = [engagement(i, title=t, summary=t) for i, t in zip(HOSTILE_IDS * 2, HOSTILE_TITLES)][: len(HOSTILE_IDS)]
    rows += [engagement(f"T{n}", title=t, summary=t) for n, t in enumerate(HOSTILE_TITLES)]
    # The values are stored exactly as given: written in the export's own format (formulas marked), which the
    # import reads back to the originals; a plain CSV writer would leave a bare CR unquoted.
    source = tmp_path / "hostile.csv"
    source.write_bytes(export.to_csv_bytes(pd.DataFrame(rows)))
    assert ingest.import_file(source, "engagements", empty_db, today=TODAY).outcome == "success"
    stored = dict(query(empty_db, "SELECT engagement_id, title FROM engagements"))
    assert stored == {r["engagement_id"]: r["title"] for r in rows}
    database = Database.open(empty_db)
    try:
        frame = database.query(
            "engagements_export",
            {
                "start": dt.date(2000, 1, 1),
                "end": TODAY,
                "areas": [],
                "countries": [],
                "components": [],
                "types": [],
                "max_rank": 2,
                "partnerships": [],
            },
        )
    finally:
        database.close()
    path = tmp_path / f"export.{kind}"
    path.write_bytes(export.to_csv_bytes(frame) if kind == "csv" else export.to_xlsx_bytes(frame))
    fresh = tmp_path / "fresh" / "atlas.duckdb"
    build(fresh, with_demo=False)
    result = ingest.import_file(path, "engagements", fresh, today=TODAY)
    assert result.outcome == "success", ingest.problems_text(result)
    assert result.inserted == len(rows)
    drop = ("import_id", "updated_at", "first_imported_at")
    assert dump_tables(fresh, ("engagements",), drop=drop) == dump_tables(empty_db, ("engagements",), drop=drop)


def test_stale_copies_of_a_killed_restore_are_swept_too(tmp_path, empty_db):
    load(empty_db, tmp_path, "one", [engagement("E1")])
    left = empty_db.with_name(f".{empty_db.name}.4242.deadbeef.tmp")
    shutil.copyfile(empty_db, left)
    from atlas.data import store

    store.restore(empty_db)
    assert not left.exists()


# --- 11: a 'since' date in a link outside [2000-01-01, today] is clamped, with a notice ----------------

SINCE_CASES = {
    "0001-01-01": dt.date(2000, 1, 1),
    "9999-12-31": dt.date(2026, 11, 30),
    "2030-01-01": dt.date(2026, 11, 30),
    "2026-12-05": dt.date(2026, 11, 30),
}


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("since", SINCE_CASES)
def test_a_since_date_out_of_range_is_clamped_on_the_what_changed_page(since):
    from apptest_support import run_page

    at = run_page("pages/11_What_Changed.py", {"since": since}, timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    assert at.date_input(key="since_input").value == SINCE_CASES[since]
    notices = " ".join(i.value for i in at.info).replace("\\", "")  # markdown escapes
    assert f"The 'since' date in the link ({since})" in notices
    assert at.query_params["since"] == SINCE_CASES[since].isoformat()


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("since", SINCE_CASES)
def test_a_since_date_out_of_range_is_clamped_on_the_briefing(since):
    from apptest_support import run_page
    from atlas.app import briefing as glue

    at = run_page("pages/6_Briefing.py", {"since": since, "slides": "changes"}, timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    key, deck = at.session_state["brief_deck"]
    assert key[1] == SINCE_CASES[since]
    slide = at.session_state[glue.LAST_GOOD]  # set only when the slide was built without error
    assert slide is deck.slide(0) and slide.key == "changes"
