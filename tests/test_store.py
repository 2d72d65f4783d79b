"""atlas.store: copy-on-write imports, snapshots, restore, and readers that never see half an import."""
from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import pytest

from atlas.data import ingest, store
from atlas.data.build import build
from atlas.data.db import Database
from support import dump_tables, engagement, import_log, query, snapshot_files, write_csv

TODAY = dt.date(2025, 6, 30)


def import_rows(db: Path, folder: Path, name: str, rows: list[dict]) -> ingest.ImportResult:
    result = ingest.import_file(write_csv(folder / f"{name}.csv", rows), "engagements", db, today=TODAY)
    assert result.problems == []
    return result


def titles(db: Path) -> list[tuple]:
    return query(db, "SELECT engagement_id, title FROM engagements ORDER BY 1")


def stray_files(db: Path) -> list[str]:
    """Private copies a writer left behind."""
    return sorted(p.name for p in db.parent.iterdir() if p.name.endswith((".tmp", ".tmp.wal")))


# --- the writer ----------------------------------------------------------------------------------

def test_writer_changes_a_copy_and_swaps_it_in(empty_db):
    inode = os.stat(empty_db).st_ino
    with store.writing(empty_db) as writer:
        writer.con.execute("INSERT INTO metadata VALUES ('probe', 'written')")
        # the live file is untouched until the block ends
        assert query(empty_db, "SELECT count(*) FROM metadata WHERE key = 'probe'") == [(0,)]
    assert query(empty_db, "SELECT value FROM metadata WHERE key = 'probe'") == [("written",)]
    assert os.stat(empty_db).st_ino != inode
    assert stray_files(empty_db) == []
    assert len(snapshot_files(empty_db)) == 1


def test_a_failed_write_leaves_the_file_as_it_was(empty_db):
    before = empty_db.read_bytes()
    with pytest.raises(RuntimeError, match="half way"):
        with store.writing(empty_db) as writer:
            writer.con.execute("INSERT INTO metadata VALUES ('probe', 'lost')")
            raise RuntimeError("failed half way")
    assert empty_db.read_bytes() == before
    assert stray_files(empty_db) == []
    assert snapshot_files(empty_db) == []


def test_no_snapshot_when_the_writer_says_nothing_changed(empty_db):
    with store.writing(empty_db) as writer:
        writer.con.execute("INSERT INTO metadata VALUES ('probe', 'x')")
        writer.snapshot = False
    assert snapshot_files(empty_db) == []
    assert query(empty_db, "SELECT value FROM metadata WHERE key = 'probe'") == [("x",)]


def test_rejected_and_unchanged_imports_take_no_snapshot(tmp_path, empty_db):
    import_rows(empty_db, tmp_path, "first", [engagement("E1")])
    assert len(snapshot_files(empty_db)) == 1
    import_rows(empty_db, tmp_path, "same", [engagement("E1")])
    bad = write_csv(tmp_path / "bad.csv", [engagement("E2", country="Atlantis")])
    assert ingest.import_file(bad, "engagements", empty_db, today=TODAY).outcome == "rejected"
    assert len(snapshot_files(empty_db)) == 1
    assert [r["outcome"] for r in import_log(empty_db)] == ["success", "success", "rejected"]


def test_two_writers_take_turns(tmp_path, empty_db):
    path = write_csv(tmp_path / "e.csv", [engagement("E1")])
    outcome: list = []
    second = threading.Thread(target=lambda: outcome.append(
        ingest.import_file(path, "engagements", empty_db, today=TODAY).outcome))
    with store.writing(empty_db) as writer:
        writer.con.execute("INSERT INTO metadata VALUES ('first', 'writer')")
        second.start()
        time.sleep(0.4)
        assert second.is_alive(), "the second writer must wait for the first to finish"
    second.join(timeout=30)
    assert outcome == ["success"]
    # neither lost the other's work
    assert query(empty_db, "SELECT value FROM metadata WHERE key = 'first'") == [("writer",)]
    assert titles(empty_db) == [("E1", "Engagement E1")]


# --- snapshots and restore --------------------------------------------------------------------------

def test_only_the_last_five_snapshots_are_kept(tmp_path, empty_db):
    reader = Database.open(empty_db)  # opened before all seven imports
    states = []
    for i in range(1, 8):
        states.append(dump_tables(empty_db))
        import_rows(empty_db, tmp_path, f"step{i}", [engagement("E1", title=f"Version {i}")])
    # the generation the reader opened has been rotated out of backups/, and it still reads it
    assert reader.is_stale()
    assert reader.cursor().execute("SELECT count(*) FROM engagements").fetchall() == [(0,)]
    reader.close()
    found = snapshot_files(empty_db)
    assert len(found) == 5
    assert store.snapshots(empty_db) == found
    # newest first: each is the database as it stood before one of the last five imports
    assert [dump_tables(p) for p in found] == [states[i] for i in (6, 5, 4, 3, 2)]
    assert [titles(p) for p in found] == [[("E1", f"Version {i}")] for i in (6, 5, 4, 3, 2)]


def test_restore_brings_back_the_state_before_the_last_import(tmp_path, empty_db):
    import_rows(empty_db, tmp_path, "one", [engagement("E1"), engagement("E2")])
    before_last = dump_tables(empty_db)
    log_before_last = import_log(empty_db)
    import_rows(empty_db, tmp_path, "two", [engagement("E1", title="Changed"), engagement("E3")])
    after_last = dump_tables(empty_db)
    assert after_last != before_last
    chosen = store.restore(empty_db)
    assert chosen.parent == empty_db.parent / "backups"
    assert dump_tables(empty_db) == before_last
    assert import_log(empty_db) == log_before_last
    # the state restore replaced is itself kept, so a restore can be undone
    assert dump_tables(snapshot_files(empty_db)[0]) == after_last
    store.restore(empty_db)
    assert dump_tables(empty_db) == after_last


def test_restore_a_chosen_snapshot(tmp_path, empty_db):
    for i in range(1, 4):
        import_rows(empty_db, tmp_path, f"s{i}", [engagement("E1", title=f"Version {i}")])
    oldest = snapshot_files(empty_db)[-1]
    assert titles(oldest) == []
    store.restore(empty_db, oldest)
    assert titles(empty_db) == []
    assert len(snapshot_files(empty_db)) == 4


def test_restore_without_snapshots(empty_db):
    with pytest.raises(FileNotFoundError) as caught:
        store.restore(empty_db)
    assert str(caught.value) == f"no snapshots in {empty_db.parent / 'backups'}"
    with pytest.raises(FileNotFoundError) as caught:
        store.restore(empty_db, empty_db.parent / "backups" / "nope.duckdb")
    assert str(caught.value) == f"no such snapshot: {empty_db.parent / 'backups' / 'nope.duckdb'}"


def test_rebuilding_keeps_the_old_database_as_a_snapshot(tmp_path, empty_db):
    import_rows(empty_db, tmp_path, "one", [engagement("E1")])
    kept = dump_tables(empty_db)
    build(empty_db, with_demo=False)
    assert titles(empty_db) == []
    assert dump_tables(snapshot_files(empty_db)[0]) == kept


# --- readers ---------------------------------------------------------------------------------------

def test_a_reader_keeps_its_generation_until_it_reopens(tmp_path, empty_db):
    import_rows(empty_db, tmp_path, "one", [engagement("E1"), engagement("E2")])
    old = Database.open(empty_db)
    try:
        assert not old.is_stale()
        count = "SELECT count(*), string_agg(title, '|' ORDER BY engagement_id) FROM engagements"
        assert old.cursor().execute(count).fetchall() == [(2, "Engagement E1|Engagement E2")]
        import_rows(empty_db, tmp_path, "two", [engagement("E1", title="New"), engagement("E3")])
        assert old.is_stale()
        assert old.cursor().execute(count).fetchall() == [(2, "Engagement E1|Engagement E2")]
        new = Database.open(empty_db)
        try:
            assert not new.is_stale()
            assert new.cursor().execute(count).fetchall() == [(3, "New|Engagement E2|Engagement E3")]
        finally:
            new.close()
    finally:
        old.close()


def test_a_rejected_import_makes_readers_stale_but_changes_no_data(tmp_path, empty_db):
    # The import log row is written, so the file is a new generation; the data tables are not.
    reader = Database.open(empty_db)
    try:
        before = dump_tables(empty_db)
        bad = write_csv(tmp_path / "bad.csv", [engagement("E2", country="Atlantis")])
        ingest.import_file(bad, "engagements", empty_db, today=TODAY)
        assert reader.is_stale()
        assert dump_tables(empty_db) == before
    finally:
        reader.close()


def test_a_reader_of_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError) as caught:
        Database.open(tmp_path / "none.duckdb")
    assert str(caught.value) == (f"No database at {tmp_path / 'none.duckdb'}; run `python -m atlas build` first.")
