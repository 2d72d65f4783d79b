"""The Data page's upload glue: staged files are cleaned up, and a file's check is not redone on every rerun."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from streamlit.testing.v1 import AppTest

from apptest_support import TODAY, run_page
from atlas.app import ui, upload
from atlas.data import audit, ingest

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

    at = AppTest.from_function(_script, args=(str(upload),), default_timeout=60).run()
    assert at.markdown[0].value == "new 1" and calls == [True]
    at.run()
    at.run()
    assert calls == [True], "reruns reuse the check"
    assert original(upload, "engagements", db, today=TODAY).inserted == 1  # the database changes
    at.run()
    assert calls == [True, True] and at.markdown[0].value == "new 0"  # checked again: now unchanged


# --- issue 15.10: staged uploads are private, short-lived and capped; 15.7: uploads off without sign-in --


def test_staged_uploads_are_private_and_beside_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(tmp_path / "db" / "atlas.duckdb"))
    path = ui.stage_upload(Uploaded("e.csv", ROWS.encode()), "engagements")
    root = tmp_path / "db" / ".atlas-uploads"
    assert path.parent.parent == root
    assert (
        oct(root.stat().st_mode & 0o777),
        oct(path.parent.stat().st_mode & 0o777),
        oct(path.stat().st_mode & 0o777),
    ) == (oct(0o700), oct(0o700), oct(0o600))


def test_staged_uploads_older_than_an_hour_go_and_at_most_twenty_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(upload, "_staging_root", lambda: tmp_path / "staged")
    hour_old = time.time() - 3700
    stale = ui.stage_upload(Uploaded("stale.csv", b"stale"), "engagements")
    os.utime(stale.parent, (hour_old, hour_old))
    paths = []
    for i in range(25):
        paths.append(ui.stage_upload(Uploaded(f"f{i}.csv", f"{ROWS}{i}".encode()), "engagements"))
        os.utime(paths[-1].parent, (time.time() - 100 + i, time.time() - 100 + i))
    assert not stale.exists()
    kept = sorted((tmp_path / "staged").iterdir())
    assert len(kept) == upload.STAGED_FILES and all(p.exists() for p in paths[-20:])
    assert not any(p.exists() for p in paths[:5]), "the oldest go first"


def test_staged_uploads_are_capped_in_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(upload, "_staging_root", lambda: tmp_path / "staged")
    monkeypatch.setattr(upload, "STAGED_BYTES", 2500)
    paths = []
    for i in range(4):
        paths.append(ui.stage_upload(Uploaded(f"f{i}.csv", bytes([65 + i]) * 1000), "engagements"))
        os.utime(paths[-1].parent, (time.time() - 100 + i, time.time() - 100 + i))
    assert [p.exists() for p in paths] == [False, False, True, True]


def test_an_upload_over_the_size_limit_is_refused_before_it_is_staged(tmp_path, monkeypatch):
    monkeypatch.setattr(upload, "_staging_root", lambda: tmp_path / "staged")
    monkeypatch.setenv("ATLAS_MAX_UPLOAD_MB", "1")
    big = Uploaded("big.csv", b"x" * (1 << 20) + b"x")
    with pytest.raises(upload.UploadRefused, match="up to 1 MB.*python -m atlas import"):
        ui.stage_upload(big, "engagements")
    assert not (tmp_path / "staged").exists() or not any((tmp_path / "staged").iterdir())


def test_an_imported_upload_is_removed_and_recorded_with_the_level(app_env, tmp_path, monkeypatch):
    db = tmp_path / "atlas.duckdb"
    shutil.copy(app_env, db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    path = ui.stage_upload(Uploaded("e.csv", ROWS.encode()), "engagements")
    result = ui.run_upload(path, "engagements", False)
    assert result.inserted == 1 and not path.exists() and not path.parent.exists()
    entry = audit.read(db, 2)[0]
    assert (entry["file_name"], entry["outcome"], entry["max_rank"]) == ("e.csv", "success", 1)


def _data_page_upload_state() -> None:
    import streamlit as st

    from atlas.app import upload

    st.write(f"allowed {upload.uploads_allowed()}")


@pytest.mark.parametrize(("setting", "allowed"), [(None, False), ("0", False), ("1", True)])
def test_without_sign_in_uploads_are_off_unless_allowed(app_env, monkeypatch, setting, allowed):
    if setting is None:
        monkeypatch.delenv("ATLAS_ALLOW_UPLOAD", raising=False)
    else:
        monkeypatch.setenv("ATLAS_ALLOW_UPLOAD", setting)
    at = AppTest.from_function(_data_page_upload_state, default_timeout=60).run()
    assert at.markdown[0].value == f"allowed {allowed}"
    page = run_page("pages/5_Data.py", timeout=60)
    assert not page.exception
    notes = " ".join(i.value for i in page.info)
    assert ("Imports from this page are off" in notes) is not allowed
    assert bool(page.get("file_uploader")) is allowed
