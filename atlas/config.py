"""Paths and settings from the environment, in one place."""

from __future__ import annotations

import functools
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
STATIC_DIR = ROOT / "static"
REFERENCE_DIR = DATA_DIR / "reference"

# The date the demo data is generated against; the app itself always uses the real today.
DEMO_TODAY_ENV = "ATLAS_TODAY"


def db_path() -> Path:
    """The database the app reads: $ATLAS_DB, default data/atlas.duckdb."""
    return _resolved(os.environ.get("ATLAS_DB", str(DATA_DIR / "atlas.duckdb")))


@functools.lru_cache(maxsize=16)
def _resolved(path: str) -> Path:
    return Path(path).resolve()


def backups_dir(db: Path) -> Path:
    """Snapshots taken before each import live beside the database."""
    return db.parent / "backups"


def max_sensitivity() -> str:
    """Highest sensitivity shown when nobody is signed in: $ATLAS_MAX_SENSITIVITY, default internal (also when
    set but blank). Not checked here: access.default_rank() turns a value that is not a level into public."""
    return os.environ.get("ATLAS_MAX_SENSITIVITY", "").strip().lower() or "internal"


def today():
    """Today's date; $ATLAS_TODAY pins it (tests and reproducible screenshots)."""
    import datetime as dt

    pinned = os.environ.get(DEMO_TODAY_ENV)
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def validate_figures() -> bool:
    """Whether plotly checks every property of the figures we build: $ATLAS_VALIDATE_FIGURES=1 (the tests set it,
    so a misspelt property fails a test). Off when serving: checking costs about half of building a figure, and
    the figure is the same."""
    return os.environ.get("ATLAS_VALIDATE_FIGURES", "") == "1"
