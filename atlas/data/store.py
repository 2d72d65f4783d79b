"""Change the database while the app reads it: copy the file, change the copy, swap it in.

DuckDB allows one writing process or many reading ones. The app keeps read-only views open, so a
writer never opens the live file: it works on a private copy and renames it over the original in
one step. A reader sees the old file or the new one, never half of an import. Before each swap the
old file is kept as a snapshot (the last five), which `python -m atlas restore` brings back.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from atlas.config import backups_dir

KEEP_SNAPSHOTS = 5


@dataclass
class Writer:
    con: duckdb.DuckDBPyConnection
    snapshot: bool = True  # set False when nothing but the import log changed


@contextmanager
def writing(db: Path, *, fresh: bool = False, keep: int = KEEP_SNAPSHOTS) -> Iterator[Writer]:
    """Yield a connection to a private copy of `db`; on success swap the copy in, else discard it."""
    db = Path(db).resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(db):
        tmp = db.with_name(f".{db.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        if db.exists() and not fresh:
            shutil.copyfile(db, tmp)
        con = duckdb.connect(str(tmp))
        writer = Writer(con)
        try:
            yield writer
            con.execute("CHECKPOINT")
            con.close()
            if db.exists() and writer.snapshot:
                take_snapshot(db, keep=keep)
            os.replace(tmp, db)
            _fsync_dir(db.parent)
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
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


def snapshots(db: Path) -> list[Path]:
    """Snapshots of `db`, newest first."""
    folder = backups_dir(Path(db).resolve())
    return sorted(folder.glob(f"{Path(db).stem}-*.duckdb"), reverse=True)


def take_snapshot(db: Path, *, keep: int = KEEP_SNAPSHOTS) -> Path:
    """Keep the current file as a snapshot; a hard link when possible, since the swap leaves it unchanged."""
    folder = backups_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{db.stem}-{stamp}.duckdb"
    try:
        os.link(db, target)
    except OSError:
        shutil.copy2(db, target)
    for old in snapshots(db)[keep:]:
        old.unlink(missing_ok=True)
    return target


def restore(db: Path, snapshot: Path | None = None) -> Path:
    """Bring back a snapshot (default: the newest); the file it replaces becomes a snapshot itself."""
    db = Path(db).resolve()
    available = snapshots(db)
    if snapshot is None:
        if not available:
            raise FileNotFoundError(f"no snapshots in {backups_dir(db)}")
        snapshot = available[0]
    snapshot = Path(snapshot).resolve()
    if not snapshot.exists():
        raise FileNotFoundError(f"no such snapshot: {snapshot}")
    # Copy first: taking the snapshot of the current file may rotate the chosen one away.
    with _exclusive(db):
        tmp = db.with_name(f".{db.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        shutil.copyfile(snapshot, tmp)
        if db.exists():
            take_snapshot(db)
        os.replace(tmp, db)
        _fsync_dir(db.parent)
    return snapshot
