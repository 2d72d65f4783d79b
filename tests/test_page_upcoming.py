"""The Upcoming page: the agenda of planned engagements (AppTest on the fixture database plus a few
planned engagements, today pinned to Monday 30 Nov 2026, viewer ceiling "internal").

Planned engagements after today, with the fixture's F-E18 (15 Dec, Bahrain) and F-E17 (1 Feb 2027, Canada):
- U1 Tue 1 Dec CAN visa, U2 Sun 6 Dec MEX border     -> week of 30 Nov 2026 (today is its Monday)
- U3 Mon 7 Dec GBR counter-terrorism (today + 7)      -> week of 7 Dec 2026, the last day of the 7-day window
- U4 Tue 8 Dec JPN aviation                            -> week of 7 Dec 2026
- F-E18 Tue 15 Dec BHR aviation                        -> week of 14 Dec 2026
- U8 Wed 20 Jan 2027 FRA cargo                         -> week of 18 Jan 2027
- F-E17 Mon 1 Feb 2027 CAN cargo                       -> week of 1 Feb 2027
Not on the agenda: U5 (2 Dec, cancelled), U6 (3 Dec, restricted: only a restricted viewer sees it), U7 (today,
not after it), U9 (5 Mar 2027, 95 days ahead).
So: 7 days -> U1, U2, U3 = 3; 30 days (to 30 Dec) -> + U4, F-E18 = 5; 90 days (to 28 Feb) -> + U8, F-E17 = 7.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil

import pandas as pd
import pytest

from apptest_support import TODAY, metric, run_page
from atlas.data import ingest
from atlas.views import agenda
from support import engagement, write_csv

PAGE = "pages/7_Upcoming.py"
PLANNED = [
    engagement(
        "U1",
        title="Visa talks in Ottawa",
        start_date="2026-12-01",
        end_date="",
        country="CAN",
        mission_area="visa",
        status="planned",
        component="CBP",
    ),
    engagement(
        "U2",
        title="Border training Monterrey",
        start_date="2026-12-06",
        end_date="",
        country="MEX",
        mission_area="border",
        engagement_type="training",
        status="planned",
    ),
    engagement(
        "U3",
        title="CT dialogue London",
        start_date="2026-12-07",
        end_date="",
        country="GBR",
        mission_area="counterterrorism",
        status="planned",
        component="I&A",
    ),
    engagement(
        "U4",
        title="Aviation review Tokyo",
        start_date="2026-12-08",
        end_date="",
        country="JPN",
        mission_area="aviation",
        engagement_type="delegation",
        status="planned",
        component="TSA",
    ),
    engagement("U5", title="Cancelled visit", start_date="2026-12-02", end_date="", country="CAN", status="cancelled"),
    engagement(
        "U6",
        title="Restricted planning talks",
        start_date="2026-12-03",
        end_date="",
        country="GBR",
        status="planned",
        sensitivity="restricted",
    ),
    engagement("U7", title="Meeting today", start_date="2026-11-30", end_date="", country="DEU", status="planned"),
    engagement(
        "U8",
        title="Cargo workshop Le Havre",
        start_date="2027-01-20",
        end_date="",
        country="FRA",
        mission_area="cargo",
        engagement_type="training",
        status="planned",
    ),
    engagement(
        "U9", title="Visa talks next spring", start_date="2027-03-05", end_date="", country="CAN", status="planned"
    ),
]


@pytest.fixture(scope="module")
def agenda_db(fixture_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("upcoming")
    path = shutil.copy(fixture_db, folder / "atlas.duckdb")
    result = ingest.import_file(write_csv(folder / "planned.csv", PLANNED), "engagements", path, today=TODAY)
    assert result.outcome == "success", ingest.problems_text(result)
    return path


@pytest.fixture
def env(agenda_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(agenda_db))
    monkeypatch.setenv("ATLAS_TODAY", TODAY.isoformat())
    monkeypatch.delenv("ATLAS_MAX_SENSITIVITY", raising=False)


def headings(at) -> list[str]:
    return [m.value.removeprefix("#### ") for m in at.markdown if m.value.startswith("#### Week of")]


def listed(at) -> list[str]:
    """Engagement titles in the agenda's week tables, in page order."""
    return [t for d in at.dataframe if "profile" in d.value.columns for t in d.value.title]


def choose(at, days: int):
    return at.segmented_control(key="upcoming_days").set_value(days).run()


def test_default_window_is_thirty_days_by_week(env):
    at = run_page(PAGE)
    assert not at.exception
    assert metric(at, "Planned in the next 30 days").value == "5"
    assert metric(at, "Partner countries").value == "5"  # CAN, MEX, GBR, JPN, BHR
    assert metric(at, "Busiest week").value == "30 Nov 2026"  # 2 (ties with 7 Dec: the earlier wins)
    assert headings(at) == [
        "Week of 30 Nov 2026 · 2 engagements",
        "Week of 7 Dec 2026 · 2 engagements",
        "Week of 14 Dec 2026 · 1 engagement",
    ]
    assert listed(at) == [
        "Visa talks in Ottawa",
        "Border training Monterrey",
        "CT dialogue London",
        "Aviation review Tokyo",
        "Planned aviation meeting in Manama",
    ]


@pytest.mark.parametrize(
    "days, count, weeks",
    [
        (7, 3, ["Week of 30 Nov 2026 · 2 engagements", "Week of 7 Dec 2026 · 1 engagement"]),
        (
            30,
            5,
            [
                "Week of 30 Nov 2026 · 2 engagements",
                "Week of 7 Dec 2026 · 2 engagements",
                "Week of 14 Dec 2026 · 1 engagement",
            ],
        ),
        (
            90,
            7,
            [
                "Week of 30 Nov 2026 · 2 engagements",
                "Week of 7 Dec 2026 · 2 engagements",
                "Week of 14 Dec 2026 · 1 engagement",
                "Week of 18 Jan 2027 · 1 engagement",
                "Week of 1 Feb 2027 · 1 engagement",
            ],
        ),
    ],
)
def test_the_window_control(env, days, count, weeks):
    at = choose(run_page(PAGE), days)
    assert not at.exception
    assert metric(at, f"Planned in the next {days} days").value == str(count)
    assert headings(at) == weeks
    assert len(listed(at)) == count


def test_country_links_to_its_profile(env):
    at = run_page(PAGE)
    first = next(d for d in at.dataframe if "profile" in d.value.columns)  # the week of 30 Nov
    assert list(first.value.profile) == ["Country_Profile?iso=CAN#Canada", "Country_Profile?iso=MEX#Mexico"]
    assert list(first.value.area) == ["Visa Security", "Border Security and Training"]


@pytest.mark.parametrize(
    "query, count",
    [
        ({"area": "cargo"}, 0),  # 30 days: none; F-E17 and U8 are later
        ({"country": "CAN,MEX"}, 2),  # U1, U2
        ({"region": "Asia"}, 2),  # U4 JPN, F-E18 BHR
        ({"component": "TSA"}, 2),  # U4, F-E18
        ({"type": "training"}, 1),  # U2
        ({"period": "all"}, 5),  # the period does not apply
        ({"from": "2025-01-01", "to": "2025-03-31"}, 5),
    ],
)
def test_sidebar_filters_apply_except_the_period(env, query, count):
    at = run_page(PAGE, query=query)
    assert not at.exception
    assert metric(at, "Planned in the next 30 days").value == str(count)
    assert len(listed(at)) == count


def test_the_page_says_the_period_does_not_apply(env):
    at = run_page(PAGE, query={"period": "all"})
    assert any("period does not apply here" in c.value for c in at.caption)
    # The header names the agenda's own window, not the sidebar's period.
    assert any("Showing: 01 Dec 2026 – 30 Dec 2026" in c.value for c in at.caption)


@pytest.mark.parametrize("level, count", [("public", 0), ("internal", 5), ("restricted", 6)])
def test_the_sensitivity_ceiling(env, monkeypatch, level, count):
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", level)
    at = run_page(PAGE)
    assert metric(at, "Planned in the next 30 days").value == str(count)
    assert ("Restricted planning talks" in listed(at)) is (level == "restricted")


def test_an_empty_window_says_why(env):
    at = run_page(PAGE, query={"area": "cargo"})
    assert any("No planned engagements in the next 30 days" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_the_agenda_downloads(env, captured_downloads):
    at = choose(run_page(PAGE), 90)
    assert not at.exception
    rows = pd.read_csv(io.BytesIO(captured_downloads["upcoming_90_days.csv"]()), encoding="utf-8-sig")
    assert list(rows.engagement_id) == ["U1", "U2", "U3", "U4", "F-E18", "U8", "F-E17"]
    assert list(rows.week)[:3] == ["Week of 30 Nov 2026", "Week of 30 Nov 2026", "Week of 7 Dec 2026"]
    weeks = pd.read_csv(io.BytesIO(captured_downloads["upcoming_90_days_by_week.csv"]()), encoding="utf-8-sig")
    assert list(weeks.engagements) == [2, 2, 1, 1, 1]


def test_a_long_agenda_lists_its_first_rows_and_downloads_more(env, captured_downloads, monkeypatch):
    """The week tables draw the first agenda.LISTED_ROWS (what a rerun sends stays small), say so, and name the
    rows not listed each week; the download holds every row the page read."""
    from atlas.views import agenda

    monkeypatch.setattr(agenda, "LISTED_ROWS", 3)
    at = choose(run_page(PAGE), 90)
    assert not at.exception
    assert len(listed(at)) == 3
    assert any("Listing the first 3 of 7 planned engagements" in i.value for i in at.info)
    assert any("the download below holds the first 7" in i.value for i in at.info)
    assert any("more this week are not listed" in c.value for c in at.caption)
    rows = pd.read_csv(io.BytesIO(captured_downloads["upcoming_90_days.csv"]()), encoding="utf-8-sig")
    assert len(rows) == 7
    assert listed(at) == list(rows.title[:3])  # the first rows of the agenda, in its order


def test_agenda_rows_narrows_and_groups_by_monday():
    frame = pd.DataFrame(
        {
            "start_date": [
                dt.date(2026, 12, 6),
                dt.date(2026, 11, 30),
                dt.date(2026, 12, 7),
                dt.date(2026, 12, 8),
                dt.date(2026, 12, 2),
            ],
            "title": ["Sun", "Today", "Mon", "Tue", "Cancelled"],
            "country": ["Mexico"] * 5,
            "iso3": ["MEX"] * 5,
            "mission_area": ["border"] * 5,
            "engagement_type": ["meeting"] * 5,
            "status": ["planned", "planned", "planned", "planned", "cancelled"],
            "engagement_id": list("abcde"),
        }
    )
    rows = agenda.agenda_rows(frame, TODAY, 7)
    assert list(rows.title) == ["Sun", "Mon"]
    assert list(rows.week) == ["Week of 30 Nov 2026", "Week of 7 Dec 2026"]
    assert list(rows.type) == ["Meeting", "Meeting"]
    assert agenda.week_label(dt.date(2027, 2, 1)) == "Week of 1 Feb 2027"
