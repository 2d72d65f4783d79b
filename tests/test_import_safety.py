"""Issue 15 in the import: every import audited with who and the level it touched, a failed write (a full
disk) audited with its real cause and nothing changed, an importer kept to their own level, and the command
line giving a clear message for a broken database."""

from __future__ import annotations

import datetime as dt
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.data import audit, ingest, store
from support import agreement, dump_tables, engagement, query, write_csv

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 6, 30)
PUBLIC, INTERNAL, RESTRICTED = 0, 1, 2


def load(db: Path, folder: Path, name: str, rows: list[dict], table: str = "engagements", **kw) -> ingest.ImportResult:
    return ingest.import_file(write_csv(folder / f"{name}.csv", rows), table, db, today=TODAY, **kw)


def cli(*args: str, fsize: int | None = None) -> subprocess.CompletedProcess:
    """`python -m atlas ARGS` in a process of its own; `fsize`: no file it writes may grow beyond this many
    bytes (RLIMIT_FSIZE: a write past it fails with EFBIG, as on a full disk)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel stops the process instead of failing the write
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "atlas", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit if fsize else None,
    )


# --- 5: every import is audited, with who and the level of what it touched ---------------------------


def test_an_import_is_audited_with_who_and_the_highest_level_it_touched(tmp_path, empty_db):
    load(
        empty_db,
        tmp_path,
        "first",
        [engagement("E1", sensitivity="restricted"), engagement("E2", sensitivity="public")],
        who="admin@example.gov",
    )
    # public rows, but one replaces a restricted record: the entry is shown at restricted only
    load(empty_db, tmp_path, "second", [engagement("E1", sensitivity="public", title="Lowered")])
    load(empty_db, tmp_path, "third", [engagement("E3", sensitivity="public")])
    load(empty_db, tmp_path, "bad", [engagement("E4", country="Secretland", sensitivity="public")])
    entries = audit.read(empty_db, RESTRICTED)
    assert [(e["file_name"], e["outcome"], e["max_rank"]) for e in entries] == [
        ("bad.csv", "rejected", None),
        ("third.csv", "success", PUBLIC),
        ("second.csv", "success", RESTRICTED),
        ("first.csv", "success", RESTRICTED),
    ]
    assert entries[-1]["who"] == "admin@example.gov" and entries[-1]["signed_in"]
    assert entries[0]["who"] == audit.os_user() and not entries[0]["signed_in"]
    assert entries[-1]["counts"] == {"rows_read": 2, "inserted": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert [e["file_name"] for e in audit.read(empty_db, PUBLIC)] == ["third.csv"]


def test_a_dry_run_is_not_audited(tmp_path, empty_db):
    ingest.import_file(write_csv(tmp_path / "e.csv", [engagement("E1")]), "engagements", empty_db, dry_run=True)
    assert audit.read(empty_db, RESTRICTED) == []


# --- 5 and 12: a full disk: audited with the real cause, a clear message, nothing changed ---------------


@pytest.fixture
def big_file(tmp_path) -> Path:
    rows = [engagement(f"B{i}", summary="x" * 300 + str(i)) for i in range(30_000)]
    return write_csv(tmp_path / "big.csv", rows)


@pytest.mark.parametrize("room", ["while the copy is written", "while the import writes"])
def test_a_full_disk_fails_the_import_clearly_and_changes_nothing(tmp_path, empty_db, big_file, room):
    load(empty_db, tmp_path, "before", [engagement("E1")])
    before, snapshots = dump_tables(empty_db), store.snapshots(empty_db)
    size = empty_db.stat().st_size
    done = cli(
        "import",
        "engagements",
        str(big_file),
        "--db",
        str(empty_db),
        fsize=size // 2 if room == "while the copy is written" else size + 256 * 1024,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"error: The import of big.csv into {empty_db} failed: ")
    assert "File too large" in done.stderr and "Nothing was changed" in done.stderr
    assert "Traceback" not in done.stderr and "cannot rollback" not in done.stderr
    assert dump_tables(empty_db) == before and store.snapshots(empty_db) == snapshots
    assert store.stale_temp_files(empty_db) == []
    failed = audit.read(empty_db, RESTRICTED)[0]
    assert (failed["outcome"], failed["file_name"], failed["max_rank"]) == ("error", "big.csv", None)
    assert "File too large" in failed["message"] and failed["who"] == audit.os_user()
    # and the next import works
    assert load(empty_db, tmp_path, "after", [engagement("E2")]).outcome == "success"


# --- 7: an importer creates or replaces only records at or below their own level ----------------------


@pytest.fixture
def mixed_db(tmp_path, empty_db) -> Path:
    assert (
        load(
            empty_db,
            tmp_path,
            "seed",
            [
                engagement("R1", sensitivity="restricted", title="Secret visit"),
                engagement("I1", sensitivity="internal"),
            ],
        ).outcome
        == "success"
    )
    return empty_db


CONFLICT = "line 2, column engagement_id: a record with this id exists that you may not change"


@pytest.mark.parametrize("title", ["Secret visit", "A guess"])
def test_an_id_above_the_importers_level_is_a_conflict_that_tells_nothing_more(tmp_path, mixed_db, title):
    # The same answer whether the guessed content is exact or not: no New, Updated or Unchanged for it.
    path = write_csv(
        tmp_path / "guess.csv",
        [engagement("R1", sensitivity="internal", title=title), engagement("N1", sensitivity="internal")],
    )
    check = ingest.import_file(
        path, "engagements", mixed_db, dry_run=True, level=INTERNAL, skip_invalid=True, today=TODAY
    )
    assert [str(p) for p in check.problems] == [CONFLICT]
    assert (check.inserted, check.updated, check.unchanged, check.rejected) == (1, 0, 0, 1)
    before = dump_tables(mixed_db)
    assert ingest.import_file(path, "engagements", mixed_db, level=INTERNAL, today=TODAY).outcome == "rejected"
    assert dump_tables(mixed_db) == before
    partial = ingest.import_file(path, "engagements", mixed_db, level=INTERNAL, skip_invalid=True, today=TODAY)
    assert (partial.outcome, partial.inserted, partial.updated) == ("partial", 1, 0)
    assert query(mixed_db, "SELECT title, sensitivity FROM engagements WHERE engagement_id = 'R1'") == [
        ("Secret visit", "restricted")
    ]


def test_rows_above_the_importers_level_are_refused(tmp_path, mixed_db):
    path = write_csv(
        tmp_path / "up.csv",
        [
            engagement("N1", sensitivity="restricted"),
            engagement("N2"),
            engagement("I1", sensitivity="public", title="Changed"),
        ],
    )
    check = ingest.import_file(path, "engagements", mixed_db, dry_run=True, level=PUBLIC, today=TODAY)
    assert [str(p) for p in check.problems] == [
        "line 2, column sensitivity: you may import records up to public only, not restricted",
        "line 3, column sensitivity: you may import records up to public only, not internal",  # the default
        "line 4, column engagement_id: a record with this id exists that you may not change",
    ]
    at_internal = ingest.import_file(path, "engagements", mixed_db, dry_run=True, level=INTERNAL, today=TODAY)
    assert [str(p) for p in at_internal.problems] == [
        "line 2, column sensitivity: you may import records up to internal only, not restricted"
    ]
    # the command line is the trusted path: the highest level
    assert not ingest.import_file(path, "engagements", mixed_db, dry_run=True, today=TODAY).problems


def test_agreements_above_the_importers_level_are_conflicts_too(tmp_path, empty_db):
    assert load(empty_db, tmp_path, "a", [agreement("A1", sensitivity="restricted")], "agreements").outcome == "success"
    path = write_csv(tmp_path / "b.csv", [agreement("A1", sensitivity="internal")])
    check = ingest.import_file(path, "agreements", empty_db, dry_run=True, level=INTERNAL, today=TODAY)
    assert [str(p) for p in check.problems] == [
        "line 2, column agreement_id: a record with this id exists that you may not change"
    ]


# --- 12: the command line names a broken database and its fix, for every command ----------------------


@pytest.mark.parametrize(
    "command",
    [["import", "engagements", "FILE"], ["import", "engagements", "FILE", "--dry-run"], ["upgrade"], ["restore"]],
)
def test_every_command_names_a_broken_database_without_a_traceback(tmp_path, empty_db, command):
    source = write_csv(tmp_path / "e.csv", [engagement("E1")])
    store.take_snapshot(empty_db)
    empty_db.unlink()  # a new file: the snapshot may be a hard link to the old one
    empty_db.write_text("engagement_id,title\nE1,x\n")
    done = cli(*[str(source) if a == "FILE" else a for a in command], "--db", str(empty_db))
    if command == ["restore"]:  # a restore is the fix: it brings the snapshot back over the broken file
        assert done.returncode == 0, done.stderr
        return
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: The database {empty_db} is not a DuckDB database file")
    assert "python -m atlas restore" in done.stderr and "Traceback" not in done.stderr
