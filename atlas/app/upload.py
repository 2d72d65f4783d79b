"""Imports from the Data page: stage the uploaded file, check it (a dry run kept for the session), import it.

Staged files live in a private folder beside the database (mode 0700, files 0600), are removed after their
import or after STAGED_FOR, and at most STAGED_FILES / STAGED_BYTES of them are kept (oldest removed first).
An importer on this page imports at their own level (viewer_rank); the command line is the trusted path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import streamlit as st

from atlas import config
from atlas.app.viewer import login_configured, viewer_email, viewer_may_import, viewer_rank
from atlas.data import audit, ingest, store
from atlas.data.db import file_signature

UPLOADS = "atlas_upload"  # session key: the last upload check (its inputs and its result)
ALLOW_UPLOAD_ENV = "ATLAS_ALLOW_UPLOAD"  # "1": uploads on the Data page without sign-in (a local deployment)
MAX_UPLOAD_ENV = "ATLAS_MAX_UPLOAD_MB"  # the largest file the Data page takes, in MB (default 200)
STAGED_FOR = dt.timedelta(hours=1)  # staged upload files older than this are removed
STAGED_FILES = 20  # at most this many staged files are kept ...
STAGED_BYTES = 500 << 20  # ... holding at most this many bytes; the oldest go first


class UploadRefused(ValueError):
    """An upload the page will not stage (too large); its message says why, in the user's words."""


def uploads_allowed() -> bool:
    """Whether this viewer may import from the Data page. With sign-in: the importers of the roles file.
    Without: nobody, unless ATLAS_ALLOW_UPLOAD=1 (the command line is the trusted path)."""
    if login_configured():
        return viewer_may_import()
    return os.environ.get(ALLOW_UPLOAD_ENV, "").strip() == "1"


def max_upload_bytes() -> int:
    try:
        return int(float(os.environ.get(MAX_UPLOAD_ENV, "") or 200) * (1 << 20))
    except ValueError:
        return 200 << 20


def _staging_root() -> Path:
    return config.db_path().parent / ".atlas-uploads"


def _private_root() -> Path:
    root = _staging_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)  # mkdir's mode is cut by the umask, and an older folder may be wider
    return root


def stage_upload(uploaded, table: str) -> Path:
    """Save an uploaded file for import: its own private folder, its name reduced to safe characters.
    Stale files are removed on the way, and the oldest beyond the cap; too large a file is refused."""
    size, limit = getattr(uploaded, "size", None), max_upload_bytes()
    if size is not None and size > limit:
        raise UploadRefused(
            f"The file is {size / (1 << 20):,.0f} MB; the Data page takes files up to "
            f"{limit / (1 << 20):,.0f} MB. Import larger files with `python -m atlas import`."
        )
    data = uploaded.getvalue()
    if len(data) > limit:
        raise UploadRefused(
            f"The file is {len(data) / (1 << 20):,.0f} MB; the Data page takes files up to "
            f"{limit / (1 << 20):,.0f} MB. Import larger files with `python -m atlas import`."
        )
    root = _private_root()
    _remove_stale(root)
    folder = root / f"{table}-{hashlib.sha256(data).hexdigest()[:16]}"
    folder.mkdir(mode=0o700, exist_ok=True)
    name = Path(uploaded.name)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name.stem)[:80] or "upload"
    target = folder / f"{stem}{name.suffix.lower()[:10]}"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(target, 0o600)
    _cap(root, keep=folder)
    return target


def _folders(root: Path) -> list[tuple[float, int, Path]]:
    """(modified, bytes, folder) of each staged upload, oldest first."""
    found = []
    for folder in root.glob("*") if root.is_dir() else []:
        with contextlib.suppress(FileNotFoundError):  # another session removed it first
            found.append((folder.stat().st_mtime, sum(f.stat().st_size for f in folder.glob("*")), folder))
    return sorted(found)


def _remove_stale(root: Path) -> None:
    cutoff = (dt.datetime.now() - STAGED_FOR).timestamp()
    for modified, _, folder in _folders(root):
        if modified < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _cap(root: Path, keep: Path) -> None:
    """Remove the oldest staged uploads beyond STAGED_FILES or STAGED_BYTES (never the one just staged)."""
    folders = _folders(root)
    total = sum(size for _, size, _ in folders)
    for count, (_, size, folder) in zip(range(len(folders), 0, -1), folders):
        if count <= STAGED_FILES and total <= STAGED_BYTES:
            break
        if folder != keep:
            shutil.rmtree(folder, ignore_errors=True)
            total -= size


def remove_staged(path: Path) -> None:
    """Remove a staged upload once it has been imported."""
    if path.parent.parent == _staging_root():
        shutil.rmtree(path.parent, ignore_errors=True)


def check_upload(path: Path, table: str, skip_invalid: bool):
    """A dry run at the viewer's level: what the import would do, and every problem, without writing anything.
    Kept for the session until the file, the choice, the level or the database changes, so other reruns of
    the page do not validate the whole file again."""
    db = config.db_path()
    level = viewer_rank()
    inputs = (str(path), table, skip_invalid, level, file_signature(db) if db.exists() else None)
    kept = st.session_state.get(UPLOADS)
    if kept is not None and kept[0] == inputs:
        return kept[1]
    result = ingest.import_file(path, table, db, dry_run=True, skip_invalid=skip_invalid, level=level)
    st.session_state[UPLOADS] = (inputs, result)
    return result


def run_upload(path: Path, table: str, skip_invalid: bool):
    """Import the staged file for real (a copy swapped in whole; see atlas.data.store) at the viewer's level,
    recorded in the audit as the signed-in viewer; the staged file is removed after."""
    try:
        return ingest.import_file(
            path, table, config.db_path(), skip_invalid=skip_invalid, who=viewer_email(), level=viewer_rank()
        )
    finally:
        remove_staged(path)


def snapshot_list() -> list[dict]:
    """The snapshots kept for the database, newest first, as rows for a table."""
    return [
        {
            "snapshot": p.name,
            "size_mb": round(p.stat().st_size / 1e6, 1),
            "taken": pd.Timestamp(p.stat().st_mtime, unit="s").strftime("%Y-%m-%d %H:%M"),
        }
        for p in store.snapshots(config.db_path())
    ]


def audit_trail(limit: int = 200) -> pd.DataFrame:
    """The audit entries this viewer may see (imports, failed imports, restores), newest first."""
    entries = audit.read(config.db_path(), viewer_rank(), limit=limit)
    rows = [
        {
            "at": e.get("at"),
            "who": e.get("who"),
            "action": e.get("action"),
            "outcome": e.get("outcome"),
            "table_name": e.get("table"),
            "file_name": e.get("file_name"),
            **{k: (e.get("counts") or {}).get(k) for k in ("rows_read", "inserted", "updated", "rejected")},
            "message": e.get("message"),
        }
        for e in entries
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "at",
            "who",
            "action",
            "outcome",
            "table_name",
            "file_name",
            "rows_read",
            "inserted",
            "updated",
            "rejected",
            "message",
        ],
    )


def problem_rows(check, limit: int = 500) -> pd.DataFrame:
    """Every problem of a check (up to `limit`) as a table of line, column and reason."""
    return pd.DataFrame(
        [{"Line": p.line, "Column": p.column, "Problem": p.reason} for p in check.problems[:limit]],
        columns=["Line", "Column", "Problem"],
    )


def mapping_lines(check) -> list[str]:
    """Each country name or alias the file uses and what it resolved to: 'Republic of Korea -> South Korea (KOR),
    3 rows'."""
    frame = check.country_mappings
    if frame is None:
        return []
    return [
        f"{r.spelling} -> {r.country} ({r.iso3}), {r.rows:,} row{'s' if r.rows != 1 else ''}"
        for r in frame.itertuples()
    ]
