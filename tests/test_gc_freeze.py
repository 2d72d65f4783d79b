"""The server's long-lived objects are out of the garbage collector's reach (atlas/app/ui.py), so the full
collection Streamlit runs after every script run walks only what the runs made."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_importing_the_page_glue_freezes_what_it_loaded():
    # A fresh interpreter: what a server process holds once a page has imported `atlas.app.ui`.
    code = (
        "import gc; before = gc.get_freeze_count(); import atlas.app.ui; "
        "print(before, gc.get_freeze_count(), len(gc.get_objects()))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    before, frozen, tracked = map(int, out.stdout.split())
    assert before == 0
    # Streamlit, pandas, plotly, DuckDB and our modules: over 100,000 objects, none left for a collection to walk
    # but the few made after the freeze.
    assert frozen > 100_000, frozen
    assert tracked < frozen // 20, (tracked, frozen)
