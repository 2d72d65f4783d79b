"""A month the data covers only in part is marked as such on every trend and in the downloads behind it.

Without the mark the current month, holding a day or two of data, reads as a collapse at the end of every
trend (the "false cliff"). The builders in atlas.views.figures decide it, so pages and the briefing agree.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest

from apptest_support import run_page
from atlas.views import figures

D = dt.date


def _monthly(*rows: tuple[str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": [pd.Timestamp(m) for m, _, _ in rows],
            "mission_area": [a for _, a, _ in rows],
            "engagements": [n for _, _, n in rows],
        }
    )


TREND = _monthly(
    ("2026-10-01", "visa", 30),
    ("2026-11-01", "visa", 28),
    ("2026-12-01", "visa", 2),
    ("2026-10-01", "cargo", 10),
    ("2026-12-01", "cargo", 1),
)


@pytest.mark.parametrize(
    ("today", "period", "expected"),
    [
        (D(2026, 12, 1), None, {"2026-12-01": "month to date, through 1 Dec"}),
        (D(2026, 11, 30), None, {}),  # the last day: whole
        (D(2026, 12, 31), None, {}),
        (
            D(2026, 12, 1),
            (D(2025, 12, 2), D(2026, 12, 1)),  # "last 12 months"
            {"2025-12-01": "period starts 2 Dec", "2026-12-01": "month to date, through 1 Dec"},
        ),
        (D(2026, 11, 30), (D(2026, 1, 1), D(2026, 11, 15)), {"2026-11-01": "period ends 15 Nov"}),
        (
            D(2026, 11, 10),
            (D(2026, 1, 1), D(2027, 3, 31)),  # later months: planned
            {"2026-11-01": "month to date, through 10 Nov"},
        ),
    ],
)
def test_partial_months(today, period, expected):
    months = pd.date_range("2025-12-01", "2027-03-01", freq="MS")
    found = figures.partial_months(months, today=today, period=period)
    assert {f"{m:%Y-%m-%d}": note for m, note in found.items()} == expected


def test_downloads_say_which_month_is_partial():
    marked = figures.mark_partial(TREND, today=D(2026, 12, 1))
    assert list(marked.columns) == ["month", "mission_area", "engagements", "partial"]
    assert list(marked.partial) == ["", "", "month to date, through 1 Dec", "", "month to date, through 1 Dec"]


def test_the_mix_hatches_the_partial_month_and_names_it():
    fig = figures.area_mix_over_time(TREND, today=D(2026, 12, 1))
    bars = {t.name: t for t in fig.data}
    assert list(bars["Visa Security"].marker.pattern.shape) == ["", "", "/"]
    assert list(bars["Visa Security"].marker.opacity) == [1, 1, figures.PARTIAL_OPACITY]
    assert list(bars["Cargo Security"].marker.pattern.shape) == ["", "/"]
    assert list(bars["Visa Security"].customdata) == ["", "", " (month to date, through 1 Dec)"]
    assert (
        fig.layout.annotations[-1].text == "Partial month (hatched / dashed) — Dec 2026: month to date, through 1 Dec"
    )


def test_whole_months_are_drawn_as_before():
    fig = figures.area_mix_over_time(TREND, today=D(2026, 12, 31))
    assert all(t.marker.pattern.shape is None for t in fig.data)
    assert not fig.layout.annotations
    assert figures.area_mix_over_time(TREND).layout.annotations == (), "no today given: nothing is claimed"


@pytest.mark.parametrize("build", [figures.area_trend_lines, figures.area_small_multiples])
def test_lines_end_in_a_dashed_segment_to_an_open_point(build):
    fig = build(TREND, today=D(2026, 12, 1))
    visa = [t for t in fig.data if t.legendgroup == "visa"]
    solid, dashed = visa
    assert list(solid.y) == [30, 28, None], "the solid line stops at the last whole month"
    assert dashed.line.dash == "dash"
    assert [(f"{pd.Timestamp(x):%Y-%m}", y) for x, y in zip(dashed.x, dashed.y) if x is not None] == [
        ("2026-11", 28),
        ("2026-12", 2),
    ]
    assert dashed.marker.symbol == "circle-open"
    assert fig.layout.annotations[-1].text.endswith("Dec 2026: month to date, through 1 Dec")


def _chart(at, key: str) -> dict:
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, key
    return json.loads(found[0].proto.spec)


def test_country_profile_marks_the_month_to_date(app_env, monkeypatch, captured_downloads):
    # Today 2026-08-20: the default period is 2025-08-21..2026-08-20 and Japan's one engagement (F-E10,
    # 18 Aug) falls in August, which has 20 of its 31 days.
    monkeypatch.setenv("ATLAS_TODAY", "2026-08-20")
    at = run_page("pages/2_Country_Profile.py", {"iso": "JPN"})
    assert not at.exception
    spec = _chart(at, "country_mix")
    (bar,) = [t for t in spec["data"] if t.get("meta") != "event"]  # the event markers are not data
    assert bar["marker"]["pattern"]["shape"] == ["/"]
    assert spec["layout"]["annotations"][-1]["text"].endswith("Aug 2026: month to date, through 20 Aug")
    rows = list(csv.DictReader(io.StringIO(captured_downloads["engagements_by_month_JPN.csv"]().decode("utf-8-sig"))))
    assert [(r["month"][:10], r["mission_area"], r["engagements"], r["partial"]) for r in rows] == [
        ("2026-08-01", "aviation", "1.0", "month to date, through 20 Aug")
    ]


def test_mission_areas_download_names_the_partial_month(app_env, captured_downloads):
    at = run_page("pages/3_Mission_Areas.py", {"from": "2026-01-01", "to": "2026-08-19"})
    assert not at.exception
    rows = list(
        csv.DictReader(io.StringIO(captured_downloads["engagements_by_month_and_area.csv"]().decode("utf-8-sig")))
    )
    assert {(r["month"][:7], r["partial"]) for r in rows if r["partial"]} == {("2026-08", "period ends 19 Aug")}
