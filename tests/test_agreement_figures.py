"""atlas.agreement_figures: every agreement keeps its own row on the lifecycle timeline."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from atlas.views import figures
from atlas.views.agreement_figures import timeline_rows

LONG = "Memorandum of Understanding on Border Management and Training (USA-MEX)"


def _frame(*titles: str) -> pd.DataFrame:
    n = len(titles)
    return pd.DataFrame({
        "agreement_id": [f"A{i}" for i in range(1, n + 1)], "title": list(titles), "status": ["in_force"] * n,
        "partners": ["Mexico"] * n, "lifecycle_start": [pd.Timestamp("2020-01-01")] * n,
        "date_signed": [pd.Timestamp("2020-01-01")] * n, "date_in_force": [pd.Timestamp("2020-02-01")] * n,
        "date_expires": [pd.Timestamp("2028-01-01")] * n,
    })


@pytest.mark.parametrize(("titles", "expected"), [
    (["Cargo Security MOU"], ["Cargo Security MOU"]),                                    # short: unchanged
    ([LONG], ["Memorandum of Understanding on Border… (USA-MEX)"]),                   # keeps the partners
    ([LONG, LONG.replace("MEX", "CAN")], ["Memorandum of Understanding on Border… (USA-MEX)",
                                          "Memorandum of Understanding on Border… (USA-CAN)"]),
    ([LONG, LONG], ["Memorandum of Understanding on B… (USA-MEX) · A1",                 # equal: ids added
                    "Memorandum of Understanding on B… (USA-MEX) · A2"]),
    (["A" * 60], ["A" * 47 + "…"]),                                                      # no parentheses
])
def test_titles_are_short_and_distinct(titles, expected):
    out = timeline_rows(_frame(*titles))
    assert list(out["title"]) == expected
    assert all(len(t) <= 48 for t in out["title"])


def test_each_agreement_gets_its_own_gantt_row():
    frame = _frame(LONG, LONG, LONG.replace("MEX", "CAN"))
    fig = figures.lifecycle_gantt(timeline_rows(frame), today=dt.date(2026, 11, 30))
    rows = {y for bar in fig.data if bar.type == "bar" for y in bar.y}
    assert len(rows) == 3
