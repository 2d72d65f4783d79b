"""When the last briefing was given: a small JSON file beside the database, `<db file name>.briefing.json`.

Kept outside the database, which the app opens read-only and an import swaps whole: saving a mark never waits
for, competes with or is undone by an import or a restore. Written atomically (a temporary file in the same
folder, fsynced, renamed over the old one), so a reader sees the old mark or the new one, never half of one. A
missing, unreadable or malformed file means "no briefing recorded". The mark names no record, only a time and
how the briefing was given, so every viewer may see it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

WAYS = {"presented": "presented", "exported_pptx": "exported as .pptx", "exported_pdf": "exported as .pdf"}


@dataclass(frozen=True)
class Mark:
    """One briefing: when (local time, to the second, as imports stamp records) and how it was given."""

    at: dt.datetime
    via: str
    by: str = ""  # an opaque token of the app session that gave it (no user name), so it can tell its own

    def describe(self) -> str:
        """'28 Nov 14:05, presented', for the 'since' caption."""
        return f"{self.at:%d %b %H:%M}, {WAYS.get(self.via, self.via)}"


def mark_path(db: Path | str) -> Path:
    """The briefing mark of the database file `db`: beside it, outside every file a swap replaces."""
    db = Path(db).resolve()
    return db.with_name(db.name + ".briefing.json")


def load(db: Path | str) -> Mark | None:
    """The last briefing recorded for `db`, or None (no file, or one that cannot be read as a mark)."""
    try:
        data = json.loads(mark_path(db).read_text(encoding="utf-8"))
        at = dt.datetime.fromisoformat(str(data["at"])).replace(microsecond=0)
        return Mark(at, str(data["via"]), str(data.get("by", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(db: Path | str, via: str, *, by: str = "", at: dt.datetime | None = None) -> Mark:
    """Record a briefing given now (or `at`) for `db`, replacing the previous mark in one rename."""
    if via not in WAYS:
        raise ValueError(f"unknown way of giving a briefing {via!r}")
    mark = Mark((at or dt.datetime.now()).replace(microsecond=0), via, by)
    target = mark_path(db)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"at": mark.at.isoformat(), "via": mark.via, "by": mark.by}, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes it 0600; every replica's account reads it
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return mark
