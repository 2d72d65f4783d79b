"""atlas.views.agreement_figures and the lifecycle timeline: rows that read, one per agreement, limits in one place."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from atlas.views import lifecycle
from atlas.views.agreement_figures import row_label, shorten

LONG = "Memorandum of Understanding on Border Management and Training (USA-MEX)"


def _frame(*titles: str, partners: str = "Mexico") -> pd.DataFrame:
    n = len(titles)
    return pd.DataFrame(
        {
            "agreement_id": [f"A{i}" for i in range(1, n + 1)],
            "title": list(titles),
            "status": ["in_force"] * n,
            "partners": [partners] * n,
            "lifecycle_start": [pd.Timestamp("2020-01-01")] * n,
            "date_signed": [pd.Timestamp("2020-01-01")] * n,
            "date_in_force": [pd.Timestamp("2020-02-01")] * n,
            "date_expires": [pd.Timestamp("2028-01-01")] * n,
        }
    )


def _labels(fig) -> dict[int, str]:
    return dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext))


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Cargo Security MOU", 48, "Cargo Security MOU"),  # fits: unchanged
        ("Memorandum of Understanding on Border Management", 30, "Memorandum of Understanding…"),  # at a word
        ("Memorandum of Understanding on Border Management", 40, "Memorandum of Understanding on Border…"),
        ("Memorandum of Understanding on Border Management", 48, "Memorandum of Understanding on Border Management"),
        ("A" * 60, 48, "A" * 47 + "…"),  # one long word
        (
            "Belize, Costa Rica, Guatemala, Honduras, Panama, El Salvador",
            40,
            "Belize, Costa Rica, Guatemala, Honduras…",
        ),
    ],
)
def test_shorten_cuts_at_a_word_boundary(text, limit, expected):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


@pytest.mark.parametrize(
    ("title", "partners", "expected"),
    [
        (LONG, "Mexico", "Memorandum of Understanding on Border…<br>Mexico"),  # party codes go: names say it
        (
            "Aviation Security MOU (USA-BLZ-CRI-GTM-HND-PAN-SLV)",
            "Belize; Costa Rica; Guatemala; Honduras; Panama",
            "Aviation Security MOU<br>Belize; Costa Rica; Guatemala; Honduras…",
        ),
        ("Agreement on <b>PNR</b> (EU)", "Germany", "Agreement on &lt;b&gt;PNR&lt;/b&gt; (EU)<br>Germany"),  # escaped
        ("Cargo Security MOU", None, "Cargo Security MOU"),
    ],
)
def test_row_label_is_the_title_over_the_partner_names(title, partners, expected):
    assert row_label(title, partners, 40) == expected


def test_each_agreement_gets_its_own_gantt_row_without_ids():
    # Equal titles used to share one category row (and got their ids appended to tell them apart).
    fig = lifecycle.lifecycle_gantt(_frame(LONG, LONG, LONG.replace("MEX", "CAN")), today=dt.date(2026, 11, 30))
    rows = sorted(y for bar in fig.data if bar.type == "bar" for y in bar.y)
    assert rows == [0, 1, 2]
    assert list(_labels(fig).values()) == ["Memorandum of Understanding on Border…<br>Mexico"] * 3
    assert not any("A1" in text or "·" in text for text in _labels(fig).values())
    hover = [h for bar in fig.data if bar.type == "bar" for h in bar.hovertext]
    assert any(h.startswith(f"<b>{LONG}</b><br>Mexico<br>") for h in hover), "the full title is one hover away"


def test_the_first_agreement_is_the_top_row():
    fig = lifecycle.lifecycle_gantt(_frame("First", "Second", "Third"), today=dt.date(2026, 11, 30))
    labels = _labels(fig)
    assert [labels[y].split("<br>")[0] for y in sorted(labels, reverse=True)] == ["First", "Second", "Third"]


def test_the_row_limit_lives_in_the_builder():
    frame = _frame(*[f"Agreement {i:02d}" for i in range(45)])
    assert lifecycle.GANTT_MAX_ROWS == 40 and lifecycle.GANTT_LABEL_CHARS == 48
    assert len(lifecycle.gantt_rows(frame)) == 40
    fig = lifecycle.lifecycle_gantt(frame, today=dt.date(2026, 11, 30))
    assert sum(len(bar.y) for bar in fig.data if bar.type == "bar") == 40
    assert _labels(fig)[39].startswith("Agreement 00")
    assert all(len(line) <= 48 for text in _labels(fig).values() for line in text.split("<br>"))
