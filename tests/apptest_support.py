"""The tiny seeded database the page tests read, and a way to run a page on it with AppTest.

tests/fixtures/*.csv hold 18 engagements and 8 agreements chosen so that every headline number is
known by hand (see the comments in test_pages.py). Today is pinned to 2026-11-30.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from atlas.data import build, ingest, marks

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2026, 11, 30)
PAGE_FILES = ["dashboard.py"] + sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))


def build_fixture_db(path: Path) -> Path:
    """Reference data plus the hand-made fixture records, imported through the real import path."""
    build.build(path, with_demo=False)
    for table in ("engagements", "agreements"):
        result = ingest.import_file(FIXTURES / f"{table}.csv", table, path, today=TODAY)
        assert result.outcome == "success", ingest.problems_text(result)
    return path


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    return build_fixture_db(tmp_path_factory.mktemp("fixture") / "atlas.duckdb")


@pytest.fixture
def app_env(fixture_db, monkeypatch):
    """Point the app at the fixture database with today pinned."""
    monkeypatch.setenv("ATLAS_DB", str(fixture_db))
    monkeypatch.setenv("ATLAS_TODAY", TODAY.isoformat())
    monkeypatch.delenv("ATLAS_MAX_SENSITIVITY", raising=False)
    # A briefing a test gives leaves its mark beside the shared database: no test may see another's.
    marks.mark_path(fixture_db).unlink(missing_ok=True)
    yield fixture_db
    marks.mark_path(fixture_db).unlink(missing_ok=True)


def run_page(page: str = "dashboard.py", query: dict | None = None, timeout: float = 30) -> AppTest:
    """Run a page of the app (path relative to the repo root) the way a browser session would."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page != "dashboard.py":
        at.switch_page(page)
    return at.run()


def metric(at: AppTest, label: str):
    """The metric tile with this label."""
    for m in at.metric:
        if m.label == label:
            return m
    raise AssertionError(f"no metric {label!r}; have {[m.label for m in at.metric]}")


@pytest.fixture
def captured_downloads(monkeypatch) -> dict:
    """file name -> the callable its download button runs on click (the bytes it would send)."""
    captured: dict = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return captured
