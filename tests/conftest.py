"""Shared fixtures: an empty database built by the real build, copied per test. Helpers live in support.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Every figure a test builds is checked by plotly, property by property (the servers the browser tests start
# inherit it): a misspelt property fails the test instead of being dropped silently.
os.environ["ATLAS_VALIDATE_FIGURES"] = "1"

# The AppTest fixtures (fixture_db, app_env, captured_downloads) for every test, without importing them by name.
pytest_plugins = ["apptest_support"]


@pytest.fixture(scope="session")
def _built_empty_db(tmp_path_factory) -> Path:
    from atlas.data.build import build

    path = tmp_path_factory.mktemp("template") / "atlas.duckdb"
    build(path, with_demo=False)
    return path


@pytest.fixture
def empty_db(tmp_path, _built_empty_db) -> Path:
    """tmp_path/db/atlas.duckdb: a database made by atlas.build.build(path, with_demo=False).

    The build runs once per session; each test gets its own byte copy of the result (a build costs
    about 0.4 s, a copy a few milliseconds), in a folder of its own so snapshots land in db/backups.
    """
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "atlas.duckdb"
    shutil.copyfile(_built_empty_db, path)
    return path
