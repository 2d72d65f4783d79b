"""One agreement table: every page that lists agreements shows the same headers and formats, decided in
atlas/app/tables.py (the column config used to be repeated five times, and had drifted: "Partners" here,
"Partner countries" there)."""

from __future__ import annotations

import json
import re

import pytest

from apptest_support import ROOT, run_page

AGREEMENT_HEADERS = {
    "title": "Agreement",
    "partners": "Partner countries",
    "date_expires": "Expires",
    "date_signed": "Signed",
    "date_in_force": "In force",
    "days_to_expiry": "Days to expiry",
    "days_left": "Days left",
    "mission_area": "Mission area",
    "demo": "Demo",
}


def agreement_tables(at) -> dict[str, dict]:
    """Each agreement table on the page (a table with an agreement `title` and `partners`; not What changed's
    list of records added or changed, which mixes engagements and agreements under a `record` column), named by
    the column only it has: column -> its config as sent to the browser."""
    out = {}
    for frame in at.dataframe:
        columns = list(frame.value.columns)
        if {"title", "partners"} <= set(columns) and "record" not in columns:
            config = json.loads(frame.proto.columns)
            name = next(
                (c for c in ("flag", "changed_on", "agreement_type", "days_left", "days_to_expiry") if c in columns),
                "?",
            )
            out[name] = {c: config[c] for c in columns if c in config}
    return out


@pytest.mark.parametrize(
    ("page", "query", "keys"),
    [
        ("pages/4_Agreements.py", {}, {"flag", "agreement_type", "changed_on"}),  # renewals, all, status changes
        ("pages/2_Country_Profile.py", {"iso": "CAN"}, {"days_to_expiry"}),
        ("pages/11_What_Changed.py", {}, {"changed_on", "days_left"}),  # status changes, expiring soon
    ],
)
def test_every_agreement_table_reads_the_same(app_env, page, query, keys):
    at = run_page(page, query)
    assert not at.exception
    tables = agreement_tables(at)
    assert set(tables) == keys
    for key, columns in tables.items():
        for column, config in columns.items():
            if column in AGREEMENT_HEADERS:
                assert config["label"] == AGREEMENT_HEADERS[column], (key, column)
            if column.startswith("date_"):
                assert config["type_config"] == {"type": "date", "format": "YYYY-MM-DD"}, (key, column)
        assert columns["title"].get("width") == "large", key


def test_no_page_configures_agreement_columns_itself():
    pattern = re.compile(r"TextColumn\(\s*\"Agreement\"|\"partners\"\s*:")
    pages = [
        "dashboard.py",
        "pages/2_Country_Profile.py",
        "pages/3_Mission_Areas.py",
        "pages/4_Agreements.py",
        "atlas/app/sections.py",
    ]
    for path in (ROOT / p for p in pages):
        assert not pattern.search(path.read_text(encoding="utf-8")), f"{path.name} configures agreement columns"


def test_a_long_table_draws_its_first_rows_and_downloads_every_row_labelled(app_env, captured_downloads, monkeypatch):
    """A table draws (and labels) only its first MAX_TABLE_ROWS rows, says so, and its downloads hold every row,
    labelled as the table shows them."""
    import io

    import pandas as pd

    from atlas.app import tables

    monkeypatch.setattr(tables, "MAX_TABLE_ROWS", 2)
    at = run_page("pages/4_Agreements.py")
    assert not at.exception
    listed = next(f.value for f in at.dataframe if "agreement_type" in f.value.columns)
    assert len(listed) == 2
    shown = next(c.value for c in at.caption if c.value.startswith("Showing the first 2 of "))
    total = int(re.search(r"of (\d+) rows", shown).group(1))
    rows = pd.read_csv(io.BytesIO(captured_downloads["agreements.csv"]()), encoding="utf-8-sig")
    assert len(rows) == total > 2
    assert list(rows.title[:2]) == list(listed.title)
    assert not rows.status.isin(["in_force", "negotiation", "expired"]).any()  # labels, not codes
