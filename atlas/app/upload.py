"""Imports from the Data page: stage the uploaded file, check it (a dry run kept for the session), import it."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from atlas import config
from atlas.app.viewer import viewer_rank
from atlas.data import audit, ingest, store
from atlas.data.db import file_signature


UPLOADS = "atlas_upload"            # session key: the last upload check (its inputs and its result)


STAGED_FOR = dt.timedelta(days=1)   # staged upload files older than this are removed


def _staging_root() -> Path:
    return Path(tempfile.gettempdir()) / "partner-atlas-uploads"


def stage_upload(uploaded, table: str) -> Path:
    """Save an uploaded file for import: its own folder, its name reduced to safe characters. Files staged
    more than a day ago are removed on the way."""
    data = uploaded.getvalue()
    root = _staging_root()
    _remove_stale(root)
    folder = root / f"{table}-{hashlib.sha256(data).hexdigest()[:16]}"
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(uploaded.name)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name.stem)[:80] or "upload"
    target = folder / f"{stem}{name.suffix.lower()[:10]}"
    target.write_bytes(data)
    return target


def _remove_stale(root: Path) -> None:
    cutoff = (dt.datetime.now() - STAGED_FOR).timestamp()
    for folder in root.glob("*") if root.is_dir() else []:
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:  # another session removed it first
            pass


def check_upload(path: Path, table: str, skip_invalid: bool):
    """A dry run: what the import would do, and every problem, without writing anything. Kept for the
    session until the file, the choice or the database changes, so other reruns of the page do not
    validate the whole file again."""
    db = config.db_path()
    inputs = (str(path), table, skip_invalid, file_signature(db) if db.exists() else None)
    kept = st.session_state.get(UPLOADS)
    if kept is not None and kept[0] == inputs:
        return kept[1]
    result = ingest.import_file(path, table, db, dry_run=True, skip_invalid=skip_invalid)
    st.session_state[UPLOADS] = (inputs, result)
    return result


def run_upload(path: Path, table: str, skip_invalid: bool):
    """Import the staged file for real (a copy swapped in whole; see atlas.data.store)."""
    return ingest.import_file(path, table, config.db_path(), skip_invalid=skip_invalid)


def snapshot_list() -> list[dict]:
    """The snapshots kept for the database, newest first, as rows for a table."""
    return [{"snapshot": p.name, "size_mb": round(p.stat().st_size / 1e6, 1),
             "taken": pd.Timestamp(p.stat().st_mtime, unit="s").strftime("%Y-%m-%d %H:%M")}
            for p in store.snapshots(config.db_path())]


def audit_trail(limit: int = 200) -> pd.DataFrame:
    """The audit entries this viewer may see (imports, failed imports, restores), newest first."""
    entries = audit.read(config.db_path(), viewer_rank(), limit=limit)
    rows = [{"at": e.get("at"), "who": e.get("who"), "action": e.get("action"), "outcome": e.get("outcome"),
             "table_name": e.get("table"), "file_name": e.get("file_name"),
             **{k: (e.get("counts") or {}).get(k) for k in ("rows_read", "inserted", "updated", "rejected")},
             "message": e.get("message")} for e in entries]
    return pd.DataFrame(rows, columns=["at", "who", "action", "outcome", "table_name", "file_name", "rows_read",
                                       "inserted", "updated", "rejected", "message"])
