"""An append-only audit of imports, failed imports and restores, kept beside the database file.

The audit is a JSON-lines file, `<db file name>.audit.jsonl` in the database's folder. It is never part
of the file an import or a restore swaps, so a restore cannot roll it back, and it records what the
database cannot: failed imports (a full disk, a kill), restores, and who did each. Every entry is one
line written with one append and fsynced; a line cut short by a crash is skipped when read.

Each entry carries `max_rank`, the highest sensitivity among the records it touched (read, created,
replaced), and is shown only to viewers cleared for it; an entry of unknown rank is shown only at the
highest level. A restore copies a whole file and names no record, so it is recorded at public: every
viewer may learn that the data was brought back to an earlier state.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from atlas.data import vocab

PUBLIC = vocab.SENSITIVITY_RANK["public"]
HIGHEST = max(vocab.SENSITIVITY_RANK.values())
ACTIONS = ("import", "restore", "build", "upgrade")
MAX_MESSAGE = 2000  # characters of a message kept (an import's problem list can be long)
COUNTS = ("rows_read", "inserted", "updated", "unchanged", "rejected")


def audit_path(db: Path | str) -> Path:
    """The audit of the database file `db`: beside it, outside every file a swap replaces."""
    db = Path(db).resolve()
    return db.with_name(db.name + ".audit.jsonl")


def os_user() -> str:
    """The operating-system account running this process."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container with no passwd entry for this uid
        return f"uid {os.getuid()}"


def sha256_file(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def record(
    db: Path | str,
    action: str,
    outcome: str,
    *,
    who: str | None = None,
    table: str | None = None,
    file: Path | str | None = None,
    sha256: str | None = None,
    counts: Mapping[str, int] | None = None,
    max_rank: int | None = None,
    message: str | None = None,
) -> dict[str, Any]:
    """Append one entry (and return it). `who`: the signed-in user; the OS user when None.

    `max_rank`: the highest sensitivity rank among the records the action touched; None when unknown
    (the entry is then shown only at the highest level).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    file_path = Path(file) if file is not None else None
    entry = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "who": who or os_user(),
        "signed_in": who is not None,
        "action": action,
        "outcome": outcome,
        "table": table,
        "file_name": file_path.name if file_path else None,
        "sha256": sha256 or (sha256_file(file_path) if file_path else None),
        "counts": {k: int(v) for k, v in (counts or {}).items()},
        "max_rank": max_rank,
        "message": (message or "")[:MAX_MESSAGE] or None,
    }
    line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    path = audit_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: every write lands at the end, whoever else is writing; never truncated, never rewritten.
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line  # after a line a crash cut short: start a line of our own
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return entry


def record_import(
    db: Path | str, result: Any, file: Path | str, *, who: str | None = None, max_rank: int | None = None
) -> dict[str, Any]:
    """An import's entry from its ImportResult (outcome, table, counts)."""
    return record(
        db,
        "import",
        result.outcome,
        who=who,
        table=result.table,
        file=file,
        counts={k: getattr(result, k) for k in COUNTS},
        max_rank=max_rank,
        message=f"{len(result.problems)} problem(s)" if result.problems else None,
    )


def record_failure(
    db: Path | str,
    table: str,
    file: Path | str,
    error: BaseException,
    *,
    who: str | None = None,
    max_rank: int | None = None,
) -> dict[str, Any]:
    """An import that raised (a full disk, a broken database): what it was, and the real cause."""
    cause = error.__cause__ or error.__context__ or error
    return record(
        db,
        "import",
        "error",
        who=who,
        table=table,
        file=file,
        max_rank=max_rank,
        message=f"{type(error).__name__}: {error}" + (f" (cause: {cause})" if cause is not error else ""),
    )


def read(db: Path | str, max_rank: int, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Entries this viewer may see (max_rank at or below theirs), newest first."""
    path = audit_path(db)
    if not path.exists():
        return []
    shown = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a crash
            if not isinstance(entry, dict):
                continue
            rank = entry.get("max_rank")
            if (HIGHEST if not isinstance(rank, int) else rank) <= max_rank:
                shown.append(entry)
    shown.reverse()
    return shown[:limit] if limit is not None else shown
