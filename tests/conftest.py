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


# `make test` runs the suite on two workers with `--dist loadgroup`: a module's tests stay on one worker (its
# module-scoped fixtures are built once), except the browser modules below, whose tests share only session
# fixtures and read the demo server without changing it: they are handed out one by one, so the longest of them
# (30 axe and keyboard tests) no longer runs on one worker while the other waits at the end.
SPREAD = {
    "tests/e2e/test_a11y_browser.py",
    "tests/e2e/test_browser.py",
    "tests/e2e/test_charts_browser.py",
    "tests/e2e/test_daily_browser.py",
    "tests/e2e/test_fragments_browser.py",
    "tests/e2e/test_maps_browser.py",
    "tests/e2e/test_org_browser.py",
}


def pytest_collection_modifyitems(config, items):
    root = Path(str(config.rootpath))
    for item in items:
        module = item.path.relative_to(root).as_posix()
        if module not in SPREAD:
            item.add_marker(pytest.mark.xdist_group(module))
