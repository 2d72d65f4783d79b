"""Change the database while the app reads it: copy the file, change the copy, swap it in.

DuckDB allows one writing process or many reading ones. The app keeps read-only views open, so a
writer never opens the live file: it works on a private copy and renames it over the original in
one step. A reader sees the old file or the new one, never half of an import. Before each swap the
old file is kept as a snapshot (the last five distinct states), which `python -m atlas restore` brings back.

Snapshots of `a.duckdb` are `backups/a-<YYYYmmddTHHMMSSffffff>.duckdb`, matched exactly, so the
snapshots of `a-test.duckdb` (`backups/a-test-<stamp>.duckdb`) are never taken for a's. A database
whose name does not end in .duckdb keeps `backups/<full name>-<stamp>.snapshot`.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from atlas.config import backups_dir
from atlas.data import audit
from atlas.data.db import BrokenDatabase, attach, check_file, connect

KEEP_SNAPSHOTS = 5
STAMP = re.compile(r"\d{8}T\d{12}")
# Tables every Partner Atlas database has had since the first version (upgrade adds the rest).
CORE_TABLES = ("engagements", "agreements", "import_log", "metadata")


@dataclass
class Writer:
    con: duckdb.DuckDBPyConnection
    snapshot: bool = True  # set False when nothing but the import log changed


def _temp_name(db: Path) -> Path:
    return db.with_name(f".{db.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


def _remove_temp(tmp: Path) -> None:
    """The private copy and what DuckDB keeps beside it (its log, its spill folder)."""
    tmp.unlink(missing_ok=True)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)
    shutil.rmtree(str(tmp) + ".tmp", ignore_errors=True)


def stale_temp_files(db: Path) -> list[Path]:
    """Private copies of `db` (and their logs and spill folders) that some writer left behind."""
    pattern = re.compile(rf"\.{re.escape(db.name)}\.\d+\.[0-9a-f]{{8}}\.tmp(\.wal|\.tmp)?")
    return sorted(p for p in db.parent.iterdir() if pattern.fullmatch(p.name))


def sweep_temp_files(db: Path) -> list[Path]:
    """Remove every private copy of `db`; call only while holding its lock (no writer is then running,
    so each one left is from a killed or failed writer, whichever process id it names)."""
    found = stale_temp_files(db)
    for path in found:
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    return found


@contextmanager
def writing(db: Path, *, fresh: bool = False, keep: int = KEEP_SNAPSHOTS) -> Iterator[Writer]:
    """Yield a connection to a private copy of `db`; on success swap the copy in, else discard it."""
    db = Path(db).resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(db):
        sweep_temp_files(db)
        if db.exists() and not fresh:
            check_file(db)  # e.g. a log beside it, which a copy of the file alone would drop
        tmp = _temp_name(db)
        con = None
        try:
            if db.exists() and not fresh:
                shutil.copyfile(db, tmp)
            con = connect(str(tmp))
            writer = Writer(con)
            yield writer
            con.execute("CHECKPOINT")
            con.close()
            if db.exists() and writer.snapshot:
                take_snapshot(db, keep=keep)
            os.replace(tmp, db)
            _fsync_dir(db.parent)
        except BaseException:
            if con is not None:
                con.close()
            _remove_temp(tmp)
            raise


@contextmanager
def _exclusive(db: Path) -> Iterator[None]:
    # Two writers (the CLI and the Data page, say) take turns instead of losing each other's work.
    with open(db.with_name(db.name + ".lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _naming(db: Path) -> tuple[str, str]:
    """(prefix, suffix) of the snapshots of `db`: a.duckdb -> ('a', '.duckdb'), a.db -> ('a.db', '.snapshot')."""
    return (db.stem, ".duckdb") if db.suffix == ".duckdb" else (db.name, ".snapshot")


def snapshots(db: Path) -> list[Path]:
    """Snapshots of `db` (and of no other database), newest first."""
    db = Path(db).resolve()
    folder = backups_dir(db)
    if not folder.is_dir():
        return []
    prefix, suffix = _naming(db)
    exact = re.compile(re.escape(prefix) + "-" + STAMP.pattern + re.escape(suffix))
    return sorted((p for p in folder.iterdir() if exact.fullmatch(p.name)), reverse=True)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def same_content(a: Path, b: Path) -> bool:
    """True when two files hold the same bytes (the same inode, or the same size and sha256)."""
    sa, sb = os.stat(a), os.stat(b)
    if (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino):
        return True
    return sa.st_size == sb.st_size and _digest(a) == _digest(b)


def take_snapshot(db: Path, *, keep: int = KEEP_SNAPSHOTS) -> Path:
    """Keep the current file as a snapshot; a hard link when possible, since the swap leaves it unchanged.

    A state already kept as the newest snapshot (an import killed between its snapshot and its swap,
    say) is not kept twice: the slots hold distinct states. Rotation never removes the one just taken.
    """
    db = Path(db).resolve()
    existing = snapshots(db)
    if existing and same_content(db, existing[0]):
        return existing[0]
    folder = backups_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    prefix, suffix = _naming(db)
    moment = dt.datetime.now()
    target = folder / f"{prefix}-{moment:%Y%m%dT%H%M%S%f}{suffix}"
    while target.exists():  # two snapshots within a microsecond
        moment += dt.timedelta(microseconds=1)
        target = folder / f"{prefix}-{moment:%Y%m%dT%H%M%S%f}{suffix}"
    try:
        os.link(db, target)
    except OSError:
        shutil.copy2(db, target)
    for old in [p for p in snapshots(db) if p != target][max(keep - 1, 0) :]:
        old.unlink(missing_ok=True)
    return target


def check_restorable(path: Path) -> None:
    """Raise BrokenDatabase unless `path` opens as a Partner Atlas database this version serves or upgrades."""
    fix = "Nothing was changed. Choose another snapshot (`python -m atlas snapshots` lists them)."
    con = connect()
    try:
        try:
            version = attach(con, path)
        except BrokenDatabase as exc:
            raise BrokenDatabase(path, exc.problem, fix) from exc
        tables = {
            r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'atlas'").fetchall()
        }
        missing = [t for t in CORE_TABLES if t not in tables]
        if missing or not version:
            what = f"no {', '.join(missing)} table" if missing else "no schema version"
            raise BrokenDatabase(path, f"is a DuckDB file but not a Partner Atlas database ({what})", fix)
    finally:
        con.close()


def restore(db: Path, snapshot: Path | None = None, *, who: str | None = None) -> Path:
    """Bring back a snapshot (default: the newest); the file it replaces becomes a snapshot itself.

    The snapshot is checked first (a CSV or a damaged file is refused and nothing changes), and the
    restore is written to the audit beside the database, which no restore rolls back.
    """
    db = Path(db).resolve()
    available = snapshots(db)
    if snapshot is None:
        if not available:
            raise FileNotFoundError(f"no snapshots in {backups_dir(db)}")
        snapshot = available[0]
    snapshot = Path(snapshot).resolve()
    if not snapshot.exists():
        raise FileNotFoundError(f"no such snapshot: {snapshot}")
    try:
        check_restorable(snapshot)
    except BrokenDatabase as exc:
        audit.record(db, "restore", "refused", who=who, file=snapshot, max_rank=audit.PUBLIC, message=exc.problem)
        raise
    # Copy first: taking the snapshot of the current file may rotate the chosen one away.
    with _exclusive(db):
        sweep_temp_files(db)
        tmp = _temp_name(db)
        try:
            shutil.copyfile(snapshot, tmp)
            kept = take_snapshot(db) if db.exists() else None
            os.replace(tmp, db)
            _fsync_dir(db.parent)
        except BaseException as exc:
            _remove_temp(tmp)
            audit.record(db, "restore", "error", who=who, file=snapshot, max_rank=audit.PUBLIC, message=str(exc))
            raise
    audit.record(
        db,
        "restore",
        "success",
        who=who,
        file=snapshot,
        max_rank=audit.PUBLIC,
        message=f"replaced state kept as {kept.name}" if kept else "no database was there",
    )
    return snapshot
