"""Events on the trend charts: agreement signings and entries into force (and any other kind passed, such as
principal-level visits) as one marker per month and kind, with hover text, within the filters and the ceiling."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from apptest_support import run_page
from atlas.views import events, figures

MONTHLY = pd.DataFrame(
    {
        "month": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-02-01", "2026-03-01"]),
        "mission_area": ["visa", "cargo", "visa", "cargo"],
        "engagements": [4, 2, 3, 5],
        "planned": [0, 0, 0, 0],
    }
)
EVENTS = pd.DataFrame(
    {
        "day": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-01", "2026-03-03"]).date,
        "kind": ["signed", "signed", "in_force", "principal_visit"],
        "title": ["MOU <b>one</b>", "MOU two", "MOU one", "Secretary's visit"],
        "partners": ["Japan", "Canada; Mexico", "Japan", "Mexico"],
        "mission_area": ["visa", "visa", "visa", "cargo"],
    }
)


def _marks(fig) -> dict[str, object]:
    return {t.name: t for t in fig.data if t.meta == "event"}


def test_one_marker_per_month_and_kind_with_a_legend_entry_each():
    fig = figures.area_mix_over_time(MONTHLY, events=EVENTS)
    marks = _marks(fig)
    assert list(marks) == ["Agreement signed", "Agreement entered into force", "Principal-level visit"]
    signed = marks["Agreement signed"]
    assert [pd.Timestamp(x) for x in signed.x] == [pd.Timestamp("2026-01-01")], "two signings, one marker"
    assert signed.text[0].startswith("<b>Agreement signed, Jan 2026: 2</b>")
    assert "05 Jan: MOU &lt;b&gt;one&lt;/b&gt; (Japan)" in signed.text[0], "data text is escaped"
    assert all(t.showlegend for t in marks.values())
    # The markers sit in a strip above the tallest month (6 in January), inside the y range.
    top = fig.layout.yaxis.range[1]
    assert all(6 * 1.05 < t.y[0] < top for t in marks.values())
    assert len({t.y[0] for t in marks.values()}) == 3, "each kind on its own row"


def test_a_busy_month_lists_a_few_and_counts_the_rest():
    many = pd.DataFrame(
        {"day": [dt.date(2026, 1, d) for d in range(1, 11)], "kind": "signed", "title": "T", "partners": ""}
    )
    text = _marks(figures.area_mix_over_time(MONTHLY, events=many))["Agreement signed"].text[0]
    assert text.count("<br>") == events.LISTED + 1 and text.endswith(f"… and {10 - events.LISTED} more")


def test_a_chart_of_more_than_three_years_marks_each_quarter_on_its_middle_month():
    months = pd.date_range("2022-01-01", "2026-06-01", freq="MS")
    monthly = pd.DataFrame({"month": months, "mission_area": "visa", "engagements": 3, "planned": 0})
    signed = pd.DataFrame(
        {
            "day": [dt.date(2024, 1, 9), dt.date(2024, 3, 30), dt.date(2024, 4, 2)],
            "kind": "signed",
            "title": ["MOU A", "MOU B", "MOU C"],
            "partners": "",
        }
    )
    mark = _marks(figures.area_mix_over_time(monthly, events=signed))["Agreement signed"]
    assert [pd.Timestamp(x) for x in mark.x] == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-05-01")]
    assert mark.text[0].startswith("<b>Agreement signed, Q1 2024: 2</b><br>09 Jan: MOU A<br>30 Mar: MOU B")
    assert mark.text[1].startswith("<b>Agreement signed, Q2 2024: 1</b>")
    short = _marks(figures.area_mix_over_time(monthly[monthly.month >= "2024-01-01"], events=signed))
    assert len(short["Agreement signed"].x) == 3, "30 months: a marker per month"
    trend = figures.area_small_multiples(monthly, events=signed.assign(mission_area="visa"))
    panel = [t for t in trend.data if t.meta == "event"]
    assert len(panel) == 1 and panel[0].text[0].startswith("<b>Agreement signed, Q1 2024: 2</b><br>09 Jan: MOU A")


def test_a_long_title_is_cut_at_a_word_and_says_so():
    title = "Memorandum of Understanding on Sharing of Traveler Screening Information " + "and Cooperation " * 5
    many = pd.DataFrame({"day": [dt.date(2026, 1, 5)], "kind": "signed", "title": title, "partners": ""})
    text = _marks(figures.area_mix_over_time(MONTHLY, events=many))["Agreement signed"].text[0]
    cut = text.split("<br>")[1].removeprefix("05 Jan: ")
    assert len(cut) <= events.TITLE_CHARS and cut.endswith("…") and title.startswith(cut[:-1])
    assert cut[-2] != " "


def test_no_events_no_markers_and_the_chart_unchanged():
    plain = figures.area_mix_over_time(MONTHLY)
    assert figures.area_mix_over_time(MONTHLY, events=EVENTS.iloc[:0]).to_json() == plain.to_json()
    assert not _marks(plain)


def test_small_multiples_mark_each_areas_events_on_its_panel_and_name_each_kind_once():
    fig = figures.area_small_multiples(MONTHLY, events=EVENTS)
    traces = [t for t in fig.data if t.meta == "event"]
    by_panel = {(t.name, t.xaxis) for t in traces}
    # visa is the first panel (x), cargo the second (x2)
    assert by_panel == {
        ("Agreement signed", "x"),
        ("Agreement entered into force", "x"),
        ("Principal-level visit", "x2"),
    }
    assert fig.layout.showlegend is True
    assert sorted(t.name for t in fig.data if t.showlegend) == sorted(n for n, _ in by_panel)


def _event_traces(at, key: str) -> dict[str, list]:
    chart = next(c for c in at.get("plotly_chart") if key in c.proto.id)
    spec = json.loads(chart.proto.spec)
    return {t["name"]: t["text"] for t in spec["data"] if t.get("meta") == "event"}


def test_the_overview_mix_marks_the_agreements_of_the_period(app_env):
    at = run_page()
    assert not at.exception
    marks = _event_traces(at, "mix")
    assert list(marks) == ["Agreement signed", "Agreement entered into force"]
    assert [t.split(":")[0] for t in marks["Agreement signed"]] == [
        "<b>Agreement signed, Dec 2025",
        "<b>Agreement signed, Nov 2026",
    ]
    assert "<b>Agreement signed, Dec 2025: 2</b>" in marks["Agreement signed"][0]
    assert len(marks["Agreement entered into force"]) == 2  # Jan and Feb 2026


def test_the_markers_follow_the_filters_and_the_ceiling(app_env, monkeypatch):
    japan = _event_traces(run_page("pages/2_Country_Profile.py", query={"iso": "JPN"}), "country_mix")
    assert (
        japan
        == {
            "Agreement signed": [
                "<b>Agreement signed, Dec 2025: 1</b><br>15 Dec: Aviation Security MOU with Japan"  # the title names the partner
            ],
            "Agreement entered into force": [
                "<b>Agreement entered into force, Jan 2026: 1</b><br>05 Jan: Aviation Security MOU with Japan"  # the title names the partner
            ],
        }
    )
    areas = _event_traces(run_page("pages/3_Mission_Areas.py", query={"area": "counterterrorism"}), "area_trend")
    assert list(areas) == ["Agreement signed"] and "Counter-terrorism Cooperation MOU" in areas["Agreement signed"][0]
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "public")
    assert _event_traces(run_page(), "mix") == {}, "no agreement of the period is public"
