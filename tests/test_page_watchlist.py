"""The Watchlist page on a small seeded database (today pinned to 30 Nov 2026, viewer ceiling "internal").

Defaults: the last 6 months = 31 May 2026 to 30 Nov 2026; the period before = 28 Nov 2025 to 30 May 2026.
Engagements (completed, internal): CAN 6 before, 2 since (-67%); MEX 2 before, one since but cancelled;
GBR 5 before, 3 since (-40%); DEU 10 before, none since (-100%); FRA one since; JPN and SGP none.
Agreements in force: W-A1 CAN (open-ended), W-A2 MEX (expires 1 Mar 2027), W-A3 GBR (15 Jan 2027; its renewal
W-A4 GBR, same area, is in negotiation), W-A5 JPN (1 Aug 2027), W-A6 FRA+DEU visa (1 Feb 2027; W-A7 FRA visa in
negotiation has other partners, so it is no renewal of it), W-A8 SGP restricted (31 Dec 2026). W-A9 CAN expired.
- Gone quiet (agreement in force, no engagement since 31 May): JPN (none on record), MEX (last Mar 2026),
  DEU (last May 2026, through W-A6) = 3; a restricted viewer also sees SGP = 4.
- Fell by more than 50%, at least 5 before: DEU (-100%), CAN (-67%) = 2; GBR (-40%) joins at 30%.
- Expiring within 180 days (by 29 May 2027) with no renewal in negotiation: W-A6, W-A2 = 2 (W-A3 has one);
  with 365 days W-A5 joins = 3; a restricted viewer also sees W-A8 = 3 at 180 days.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from apptest_support import TODAY, metric, run_page
from atlas.data import build, ingest
from atlas.views import watchlist
from support import agreement, engagement, write_csv

PAGE = "pages/8_Watchlist.py"
TILES = ("Gone quiet", "Engagement fell", "Expiring, no renewal")
DATES = {
    "CAN": [
        "2026-01-10",
        "2026-01-20",
        "2026-02-10",
        "2026-03-10",
        "2026-04-10",
        "2026-05-10",
        "2026-07-01",
        "2026-11-20",
    ],
    "MEX": ["2026-02-15", "2026-03-15"],
    "GBR": [
        "2026-01-05",
        "2026-02-05",
        "2026-03-05",
        "2026-04-05",
        "2026-05-05",
        "2026-06-10",
        "2026-08-10",
        "2026-10-10",
    ],
    "DEU": [
        "2025-12-01",
        "2025-12-15",
        "2026-01-05",
        "2026-01-25",
        "2026-02-14",
        "2026-03-01",
        "2026-03-20",
        "2026-04-02",
        "2026-04-22",
        "2026-05-12",
    ],
    "FRA": ["2026-09-15"],
}
PLACE = {"city": "", "latitude": "", "longitude": "", "end_date": "", "sensitivity": "internal"}
ENGAGEMENTS = [
    engagement(f"W-{iso}{i}", start_date=day, country=iso, **PLACE)
    for iso, days in DATES.items()
    for i, day in enumerate(days, 1)
]
ENGAGEMENTS.append(engagement("W-MEX9", start_date="2026-09-01", country="MEX", status="cancelled", **PLACE))
OPEN = {"date_signed": "", "date_in_force": "", "date_expires": "", "status": "negotiation"}
AGREEMENTS = [
    agreement("W-A1", countries="CAN", mission_area="border", date_expires="", sensitivity="internal"),
    agreement("W-A2", countries="MEX", mission_area="border", date_expires="2027-03-01", sensitivity="internal"),
    agreement(
        "W-A3", countries="GBR", mission_area="counterterrorism", date_expires="2027-01-15", sensitivity="internal"
    ),
    agreement("W-A4", countries="GBR", mission_area="counterterrorism", sensitivity="internal", **OPEN),
    agreement("W-A5", countries="JPN", mission_area="aviation", date_expires="2027-08-01", sensitivity="internal"),
    agreement("W-A6", countries="FRA;DEU", mission_area="visa", date_expires="2027-02-01", sensitivity="internal"),
    agreement("W-A7", countries="FRA", mission_area="visa", sensitivity="internal", **OPEN),
    agreement(
        "W-A8",
        title="Restricted cargo arrangement",
        countries="SGP",
        mission_area="cargo",
        date_expires="2026-12-31",
        sensitivity="restricted",
    ),
    agreement(
        "W-A9",
        countries="CAN",
        mission_area="cargo",
        status="expired",
        date_expires="2025-06-30",
        sensitivity="internal",
    ),
]


@pytest.fixture(scope="module")
def watch_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("watchlist")
    path = folder / "atlas.duckdb"
    build.build(path, with_demo=False)
    for table, rows in (("engagements", ENGAGEMENTS), ("agreements", AGREEMENTS)):
        result = ingest.import_file(write_csv(folder / f"{table}.csv", rows), table, path, today=TODAY)
        assert result.outcome == "success", ingest.problems_text(result)
    return path


@pytest.fixture
def env(watch_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(watch_db))
    monkeypatch.setenv("ATLAS_TODAY", TODAY.isoformat())
    monkeypatch.delenv("ATLAS_MAX_SENSITIVITY", raising=False)


def tiles(at) -> tuple[str, ...]:
    return tuple(metric(at, label).value for label in TILES)


def table(at, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, f"{len(found)} tables with a {column!r} column"
    return found[0]


def countries(at, column: str) -> list[str]:
    """The partner countries a table lists (the name its profile link shows)."""
    return [link.split("#", 1)[1] for link in table(at, column).profile]


def test_default_thresholds(env):
    at = run_page(PAGE)
    assert not at.exception
    assert tiles(at) == ("3", "2", "2")
    assert countries(at, "last_engaged") == ["Japan", "Mexico", "Germany"]
    assert list(table(at, "last_engaged").last_engaged) == ["none on record", "Mar 2026", "May 2026"]
    assert countries(at, "change") == ["Germany", "Canada"]
    assert list(table(at, "change").change.round()) == [-100, -67]
    due = table(at, "notice_from")
    assert list(due.title) == ["Agreement W-A6", "Agreement W-A2"]
    assert list(due.days_left) == [63, 91]
    assert [str(d)[:10] for d in due.notice_from] == ["2026-08-05", "2026-09-02"]
    assert any("Agreement W-A3 (renewal: Agreement W-A4)" in c.value.replace("\\", "") for c in at.caption)


def test_the_rules_are_stated_in_words(env):
    text = " ".join(m.value.replace("\\", "") for m in run_page(PAGE).markdown)
    assert "no engagement from 31 May 2026 to 30 Nov 2026 (the last 6 months)" in text
    assert "more than 50% fewer engagements from 31 May 2026 to 30 Nov 2026" in text
    assert "(28 Nov 2025 to 30 May 2026)" in text
    assert "at least 5 engagements then" in text
    assert "notice period (180 days: by 29 May 2027)" in text


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("watch_months", 1, ("5", "0", "2")),  # quiet since 31 Oct: + GBR (last Oct 10), FRA (Sep); no fall >= 5
        ("watch_drop", 30, ("3", "3", "2")),  # GBR's -40% now counts
        ("watch_drop", 70, ("3", "1", "2")),  # only DEU's -100%
        ("watch_min", 11, ("3", "0", "2")),  # nobody had 11 before
        ("watch_min", 6, ("3", "2", "2")),  # CAN had exactly 6
        ("watch_notice", 365, ("3", "2", "3")),  # W-A5 (1 Aug 2027) joins
        ("watch_notice", 60, ("3", "2", "0")),  # W-A6 is 63 days away
    ],
)
def test_thresholds_are_adjustable(env, key, value, expected):
    at = run_page(PAGE)
    widget = at.slider(key=key) if key == "watch_drop" else at.number_input(key=key)
    widget.set_value(value).run()
    assert not at.exception
    assert tiles(at) == expected


def test_widgets_show_the_defaults(env):
    at = run_page(PAGE)
    assert [n.value for n in at.number_input] == [6, 5, 180]
    assert at.slider(key="watch_drop").value == 50


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"country": "DEU"}, ("1", "1", "1")),  # W-A6 (DEU's side only); DEU fell; W-A6 expiring
        ({"area": "visa"}, ("1", "2", "1")),  # W-A6: DEU quiet, FRA engaged; the engagements are all visa
        ({"status": "negotiation"}, ("0", "2", "0")),  # no agreement in force among those in negotiation
        ({"period": "all"}, ("3", "2", "2")),  # the period does not apply
    ],
)
def test_sidebar_filters_apply(env, query, expected):
    at = run_page(PAGE, query=query)
    assert not at.exception
    assert tiles(at) == expected


@pytest.mark.parametrize("level, expected", [("public", ("0", "0", "0")), ("restricted", ("4", "2", "3"))])
def test_the_sensitivity_ceiling(env, monkeypatch, level, expected):
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", level)
    at = run_page(PAGE)
    assert tiles(at) == expected
    shown = " ".join(str(d.value.to_csv()) for d in at.dataframe)
    assert ("Restricted cargo arrangement" in shown) is (level == "restricted")


def test_windows():
    assert watchlist.window_start(TODAY, 6) == dt.date(2026, 5, 31)
    assert watchlist.window_start(dt.date(2026, 8, 31), 6) == dt.date(2026, 3, 1)
    assert watchlist.previous_window(dt.date(2026, 5, 31), TODAY) == (dt.date(2025, 11, 28), dt.date(2026, 5, 30))


def test_fallen_needs_more_than_the_percentage_and_enough_before():
    change = pd.DataFrame(
        {"iso3": list("ABCD"), "name": list("ABCD"), "recent": [5, 4, 0, 0], "previous": [10, 10, 4, 5]}
    )
    assert list(watchlist.fallen(change, drop_percent=50, min_previous=5).iso3) == ["D", "B"]  # A is exactly -50%


def test_an_engagement_with_organizations_only_leaves_the_quiet_partners(watch_db, tmp_path, monkeypatch):
    """An engagement naming only an organization (no partner country) in the recent months has no country to
    take off the gone-quiet list: it must not empty the list (SQL's NOT IN over a list holding NULL is never
    true)."""
    path = tmp_path / "atlas.duckdb"
    path.write_bytes(watch_db.read_bytes())
    row = engagement("W-ORG1", start_date="2026-10-01", country="", organizations="ICAO", **PLACE)
    result = ingest.import_file(write_csv(tmp_path / "org.csv", [row]), "engagements", path, today=TODAY)
    assert result.outcome == "success", ingest.problems_text(result)
    monkeypatch.setenv("ATLAS_DB", str(path))
    monkeypatch.setenv("ATLAS_TODAY", TODAY.isoformat())
    monkeypatch.delenv("ATLAS_MAX_SENSITIVITY", raising=False)
    at = run_page(PAGE)
    assert not at.exception
    assert tiles(at)[0] == "3"
    assert countries(at, "last_engaged") == ["Japan", "Mexico", "Germany"]
