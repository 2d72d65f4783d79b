"""atlas.store: copy-on-write imports, snapshots, restore, and readers that never see half an import."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import time
from pathlib import Path

import duckdb
import pytest

from atlas.data import audit, ingest, store
from atlas.data.build import build
from atlas.data.db import BrokenDatabase, Database
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
    with pytest.raises(RuntimeError, match="half way"), store.writing(empty_db) as writer:
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
    second = threading.Thread(
        target=lambda: outcome.append(ingest.import_file(path, "engagements", empty_db, today=TODAY).outcome)
    )
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


# --- issue 15: snapshots belong to their database, restore checks, distinct states, no stray copies -----


def test_snapshots_of_a_database_with_a_clashing_name_are_not_its_own(tmp_path, empty_db):
    # a.duckdb and a-test.duckdb side by side: the old pattern a-*.duckdb took a-test's for a's.
    a, a_test = empty_db.with_name("a.duckdb"), empty_db.with_name("a-test.duckdb")
    shutil.copyfile(empty_db, a)
    shutil.copyfile(empty_db, a_test)
    import_rows(a, tmp_path, "a1", [engagement("A1")])
    import_rows(a, tmp_path, "a2", [engagement("A2")])
    committed = titles(a)
    for i in range(6):
        import_rows(a_test, tmp_path, f"t{i}", [engagement(f"T{i}")])
    assert len(store.snapshots(a)) == 2 and len(store.snapshots(a_test)) == 5
    assert all(p.name.startswith("a-test-") for p in store.snapshots(a_test))
    assert not any(p.name.startswith("a-test-") for p in store.snapshots(a))
    store.restore(a)  # a's own newest snapshot: the state before A2
    assert titles(a) == [("A1", "Engagement A1")]
    # the state restore replaced is a's newest snapshot, not rotated away by a-test's
    assert titles(store.snapshots(a)[0]) == committed
    store.restore(a)
    assert titles(a) == committed
    assert len(store.snapshots(a_test)) == 5


def test_rotation_never_removes_the_snapshot_a_restore_just_made(tmp_path, empty_db):
    for i in range(1, 7):
        import_rows(empty_db, tmp_path, f"s{i}", [engagement("E1", title=f"Version {i}")])
    live = titles(empty_db)
    store.restore(empty_db, store.snapshots(empty_db)[-1])
    assert len(store.snapshots(empty_db)) == store.KEEP_SNAPSHOTS
    assert titles(store.snapshots(empty_db)[0]) == live


def test_snapshots_of_a_database_not_named_duckdb(tmp_path, empty_db):
    other = empty_db.with_name("a.db")
    shutil.copyfile(empty_db, other)
    import_rows(other, tmp_path, "one", [engagement("E1")])
    import_rows(empty_db.with_name("atlas.duckdb"), tmp_path, "two", [engagement("E2")])
    assert [p.name[:5] for p in store.snapshots(other)] == ["a.db-"]
    assert store.snapshots(other)[0].suffix == ".snapshot"
    assert all(p.suffix == ".duckdb" for p in store.snapshots(empty_db))


@pytest.mark.parametrize("content", [b"engagement_id,title\nE1,x\n", b"\x00" * 4096, b"garbage" * 1000, b""])
def test_restore_refuses_a_file_that_is_not_a_partner_atlas_database(tmp_path, empty_db, content):
    import_rows(empty_db, tmp_path, "one", [engagement("E1")])
    before, snaps = empty_db.read_bytes(), store.snapshots(empty_db)
    bad = tmp_path / "not-a-db.duckdb"
    bad.write_bytes(content)
    with pytest.raises(BrokenDatabase) as caught:
        store.restore(empty_db, bad)
    assert str(bad) in str(caught.value) and "Nothing was changed" in str(caught.value)
    assert empty_db.read_bytes() == before and store.snapshots(empty_db) == snaps
    assert stray_files(empty_db) == []
    assert audit.read(empty_db, 2)[0]["outcome"] == "refused"


def test_restore_refuses_a_duckdb_file_of_another_application(tmp_path, empty_db):
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE metadata (key VARCHAR, value VARCHAR)")
    con.close()
    before = empty_db.read_bytes()
    with pytest.raises(BrokenDatabase, match="not a Partner Atlas database"):
        store.restore(empty_db, other)
    assert empty_db.read_bytes() == before


def test_restore_accepts_a_snapshot_of_an_older_version(tmp_path, empty_db):
    import_rows(empty_db, tmp_path, "one", [engagement("E1")])
    old = store.snapshots(empty_db)[0]
    con = duckdb.connect(str(old))
    con.execute("UPDATE metadata SET value = 'older' WHERE key = 'schema_version'")
    con.close()
    store.restore(empty_db, old)
    assert titles(empty_db) == []


def test_a_snapshot_identical_to_the_newest_is_not_kept_twice(tmp_path, empty_db):
    import_rows(empty_db, tmp_path, "one", [engagement("E1")])
    # An import killed between its snapshot and its swap: the live file is already the newest snapshot.
    first = store.take_snapshot(empty_db)
    assert store.take_snapshot(empty_db) == first
    # a byte copy (no hard link) is recognised by size and hash
    first.unlink()
    shutil.copyfile(empty_db, first)
    assert store.take_snapshot(empty_db) == first
    distinct = [dump_tables(p) for p in store.snapshots(empty_db)]
    assert len(distinct) == 2 and distinct[0] != distinct[1]


def test_a_failed_connect_leaves_no_private_copy(empty_db):
    # DuckDB's magic bytes but no database behind them: the copy succeeds, the connect fails.
    garbage = empty_db.with_name("garbage.duckdb")
    garbage.write_bytes(b"\x00" * 8 + b"DUCK" + b"\xff" * 5000)
    with pytest.raises(duckdb.Error), store.writing(garbage):
        pass
    assert stray_files(empty_db) == []
    assert garbage.read_bytes()[8:12] == b"DUCK"


def test_stale_private_copies_are_swept_by_the_next_import(tmp_path, empty_db):
    # left by writers that were killed: a copy, its log and DuckDB's spill folder, whatever process id
    left = [empty_db.with_name(f".{empty_db.name}.{pid}.0123abcd.tmp") for pid in (999999, os.getpid())]
    for path in left:
        path.write_bytes(b"x" * 1000)
    Path(str(left[0]) + ".wal").write_bytes(b"x")
    Path(str(left[0]) + ".tmp").mkdir()
    unrelated = empty_db.with_name(".other.duckdb.1.0123abcd.tmp")
    unrelated.write_bytes(b"x")
    assert len(store.stale_temp_files(empty_db)) == 4
    import_rows(empty_db, tmp_path, "one", [engagement("E1")])
    assert store.stale_temp_files(empty_db) == [] and unrelated.exists()


def test_a_log_beside_the_live_file_stops_the_import_before_it_is_dropped(tmp_path, empty_db):
    wal = empty_db.with_name(empty_db.name + ".wal")
    wal.write_bytes(b"not ours")
    before = empty_db.read_bytes()
    with pytest.raises(BrokenDatabase, match="write-ahead log"):
        import_rows(empty_db, tmp_path, "one", [engagement("E1")])
    assert empty_db.read_bytes() == before and stray_files(empty_db) == [] and wal.exists()


def test_restore_is_audited_and_the_audit_survives_it(tmp_path, empty_db):
    import_rows(empty_db, tmp_path, "one", [engagement("E1")])
    snapshot = store.snapshots(empty_db)[0]
    store.restore(empty_db, who="analyst@example.gov")
    store.restore(empty_db)
    entries = audit.read(empty_db, 0)
    assert [(e["action"], e["outcome"], e["who"], e["signed_in"]) for e in entries] == [
        ("restore", "success", audit.os_user(), False),
        ("restore", "success", "analyst@example.gov", True),
    ]
    assert entries[1]["file_name"] == snapshot.name and len(entries[1]["sha256"]) == 64
    assert audit.audit_path(empty_db).parent == empty_db.parent
