"""The Data page's upload glue: staged files are cleaned up, and a file's check is not redone on every rerun."""
from __future__ import annotations

import os
import shutil
import time

from streamlit.testing.v1 import AppTest

from apptest_support import TODAY, app_env, fixture_db  # noqa: F401  (fixtures)
from atlas.data import ingest
from atlas.app import ui, upload

ROWS = "engagement_id,title,start_date,country,mission_area\nU-1,Uploaded talks,2026-03-03,CAN,visa\n"


class Uploaded:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def test_staged_files_older_than_a_day_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(upload, "_staging_root", lambda: tmp_path / "staged")
    old = tmp_path / "staged" / "engagements-old"
    recent = tmp_path / "staged" / "engagements-recent"
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / "file.csv").write_text(ROWS)
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    path = ui.stage_upload(Uploaded("../My File (1).CSV", ROWS.encode()), "engagements")
    assert not old.exists() and recent.exists()
    assert path.parent.parent == tmp_path / "staged" and path.name == "My_File_1_.csv"
    assert path.read_text() == ROWS


def _script(path: str) -> None:
    from pathlib import Path

    import streamlit as st

    from atlas.app import ui

    result = ui.check_upload(Path(path), "engagements", False)
    st.write(f"new {result.inserted}")


def test_a_check_is_kept_until_the_file_or_the_database_changes(app_env, tmp_path, monkeypatch):
    db = tmp_path / "atlas.duckdb"
    shutil.copy(app_env, db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    upload = tmp_path / "upload.csv"
    upload.write_text(ROWS)
    calls = []
    original = ingest.import_file
    monkeypatch.setattr(ingest, "import_file", lambda *a, **k: calls.append(k.get("dry_run")) or original(*a, **k))

    at = AppTest.from_function(_script, args=(str(upload),)).run()
    assert at.markdown[0].value == "new 1" and calls == [True]
    at.run()
    at.run()
    assert calls == [True], "reruns reuse the check"
    assert original(upload, "engagements", db, today=TODAY).inserted == 1     # the database changes
    at.run()
    assert calls == [True, True] and at.markdown[0].value == "new 0"          # checked again: now unchanged
