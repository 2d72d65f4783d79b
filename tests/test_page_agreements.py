"""The Agreements page on the fixture database: exact numbers worked out by hand from tests/fixtures/agreements.csv.

Today is pinned to 2026-11-30; the default period is 2025-12-01 .. 2026-11-30, so the as-of day is 2026-11-30.
An agreement is shown when its life overlaps the period (signed or in force by 2026-11-30, not expired before
2025-12-01) or it has no dates yet (negotiation), and its sensitivity is at most internal:

  id  status       signed      in force    expires     partners      area              shown?
  A1  in_force     2015-03-16  2019-08-15  (open)      CAN           aviation          yes
  A2  in_force     2020-01-10  2020-02-01  2027-06-30  MEX           border            yes
  A3  expired      2018-05-01  2018-06-01  2026-10-31  GBR;CAN       visa              yes (expired inside the period)
  A4  negotiation  -           -           -           SGP           cargo             yes (no dates)
  A5  signed       2026-11-10  -           -           GBR           counterterrorism  yes
  A6  in_force     2025-12-20  2026-02-01  2028-03-31  CAN;MEX;GBR   law_enforcement   yes
  A7  in_force     2019-01-01  2019-02-01  2027-01-15  MEX           immigration       only with restricted clearance
  A8  in_force     2025-12-15  2026-01-05  2026-12-20  JPN           aviation          yes

Shown: 7. In force on 2026-11-30: A1, A2, A6, A8 = 4 (A3 expired on 2026-10-31). On 2025-11-30 (end of the
previous period): A1, A2, A3 = 3 (A6 and A8 came into force in 2026), so the delta is +1 (+33%).
In negotiation: A4 = 1. In force and expiring 2026-11-30 .. 2027-11-30: A8 (2026-12-20), A2 (2027-06-30) = 2.
"""

from __future__ import annotations

import base64
import csv
import io
import json

import numpy as np
import pandas as pd
import pytest

from apptest_support import metric, run_page
from atlas.data import build, ingest

PAGE = "pages/4_Agreements.py"
TITLES = {
    "A1": "US-Canada Preclearance Agreement",
    "A2": "MOU on Border Security Training",
    "A3": "Arrangement on Visa Information Sharing",
    "A4": "Cargo Security MOU",
    "A5": "Counter-terrorism Cooperation MOU",
    "A6": "Trilateral Law Enforcement Arrangement",
    "A7": "Restricted Returns Arrangement",
    "A8": "Aviation Security MOU with Japan",
}
DEFAULT_SHOWN = ["A1", "A2", "A3", "A4", "A5", "A6", "A8"]


def _table(at, column: str) -> pd.DataFrame:
    """The data table on the page that has `column` (each table has a column no other one has)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, f"expected one table with {column!r}, found {len(found)}"
    return found[0]


def _agreements(at) -> pd.DataFrame:
    return _table(at, "days_to_expiry")


def _renewals(at) -> pd.DataFrame:
    return _table(at, "days_left")


def _shown_titles(at) -> list[str]:
    """Titles in the agreements table; [] when the page shows an empty state instead."""
    found = [d.value for d in at.dataframe if "days_to_expiry" in d.value.columns]
    return sorted(found[0].title) if found else []


def _array(value) -> list:
    """A plotly JSON array; plotly 7 writes numbers as {"dtype", "bdata"} (base64 typed arrays)."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)


def _chart(at, key: str) -> dict:
    """The plotly figure JSON of the chart drawn with this key."""
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, f"no single chart with key {key!r}"
    return json.loads(found[0].proto.spec)


def _tiles(at) -> dict[str, str]:
    return {
        label: metric(at, label).value
        for label in ("Agreements shown", "In force", "In negotiation", "Expiring within 12 months")
    }


def _search(at, text: str):
    at.text_input[0].set_value(text)
    return at.run()


def test_headline_numbers_with_default_filters(app_env):
    at = run_page(PAGE)
    assert not at.exception
    assert _tiles(at) == {
        "Agreements shown": "7",
        "In force": "4",
        "In negotiation": "1",
        "Expiring within 12 months": "2",
    }
    assert metric(at, "In force").delta == "+1 (+33%)"
    assert sorted(_agreements(at).title) == sorted(TITLES[a] for a in DEFAULT_SHOWN)


@pytest.mark.parametrize(
    ("query", "tiles"),
    [
        # Status filter: only agreements whose current status is in force: A1, A2, A6, A8; none in negotiation;
        # still A2 and A8 expiring within 12 months.
        (
            {"status": "in_force"},
            {"Agreements shown": "4", "In force": "4", "In negotiation": "0", "Expiring within 12 months": "2"},
        ),
        # Mission area visa: only A3, which expired on 2026-10-31.
        (
            {"area": "visa"},
            {"Agreements shown": "1", "In force": "0", "In negotiation": "0", "Expiring within 12 months": "0"},
        ),
        # Mission area aviation: A1 (open-ended) and A8 (expires 2026-12-20), both in force.
        (
            {"area": "aviation"},
            {"Agreements shown": "2", "In force": "2", "In negotiation": "0", "Expiring within 12 months": "1"},
        ),
        # Country Mexico: A2 and A6 (A7 is restricted), both in force; A2 expires within 12 months.
        (
            {"country": "MEX"},
            {"Agreements shown": "2", "In force": "2", "In negotiation": "0", "Expiring within 12 months": "1"},
        ),
    ],
)
def test_filters_from_the_url_change_the_numbers(app_env, query, tiles):
    at = run_page(PAGE, query=query)
    assert not at.exception
    assert _tiles(at) == tiles
    assert len(_agreements(at)) == int(tiles["Agreements shown"])


def test_visa_filter_narrows_every_section_and_says_why_the_map_is_empty(app_env):
    at = run_page(PAGE, query={"area": "visa"})
    assert list(_agreements(at).title) == [TITLES["A3"]]
    assert "agreement_map" not in " ".join(c.proto.id for c in at.get("plotly_chart"))
    infos = [i.value for i in at.info]
    assert any(i.startswith("No agreements in force on 30 Nov 2026 for these filters") for i in infos), infos
    assert any(i.startswith("No agreements in force expiring by 30 Nov 2027") for i in infos), infos
    gantt = _chart(at, "agreement_gantt")
    assert [t["y"][0] for t in gantt["data"] if t["type"] == "bar"] == [0]
    assert gantt["layout"]["yaxis"]["ticktext"] == [f"{TITLES['A3']}<br>Canada; United Kingdom"]


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        # Horizon = 2026-11-30 + N months; in force and expiring between today and the horizon.
        (6, ["A8"]),  # to 2027-05-30: A8 (2026-12-20); A2 (2027-06-30) is a month too late
        (12, ["A8", "A2"]),  # to 2027-11-30: A8, A2
        (24, ["A8", "A2", "A6"]),  # to 2028-11-30: A6 (2028-03-31) is inside 24 months, 8 months before the horizon
    ],
)
def test_renewals_due_follow_the_horizon(app_env, months, expected):
    at = run_page(PAGE)
    at.segmented_control[0].set_value(months)
    at.run()
    assert not at.exception
    due = _renewals(at)
    assert list(due.title) == [TITLES[a] for a in expected]  # soonest first
    days = {"A8": 20, "A2": 212, "A6": 487}  # 2026-12-20, 2027-06-30, 2028-03-31 minus 2026-11-30
    assert list(due.days_left) == [days[a] for a in expected]


def test_renewals_under_90_days_are_flagged(app_env):
    at = run_page(PAGE)
    due = _renewals(at).set_index("title")
    assert due.loc[TITLES["A8"], "flag"].startswith("⚠")  # 20 days left
    assert due.loc[TITLES["A2"], "flag"] == ""  # 212 days left
    assert [e.value for e in at.error] == ["**1 expires within 90 days** (flagged ⚠ below): start the renewal now."]


def test_restricted_clearance_shows_the_restricted_agreement(app_env, monkeypatch):
    # With A7 (in force, expires 2027-01-15, 46 days away): 8 shown, 5 in force, 3 expiring within 12 months.
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "restricted")
    at = run_page(PAGE)
    assert _tiles(at) == {
        "Agreements shown": "8",
        "In force": "5",
        "In negotiation": "1",
        "Expiring within 12 months": "3",
    }
    assert TITLES["A7"] in set(_agreements(at).title)
    assert list(_renewals(at).title) == [TITLES["A8"], TITLES["A7"], TITLES["A2"]]
    assert TITLES["A7"] in json.dumps(_chart(at, "agreement_gantt"))


def test_restricted_agreement_is_hidden_everywhere_by_default(app_env):
    at = run_page(PAGE)
    for frame in (_agreements(at), _renewals(at), _table(at, "changed_on")):
        assert TITLES["A7"] not in set(frame.title)
    assert TITLES["A7"] not in json.dumps(_chart(at, "agreement_gantt"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("japan", ["A8"]),  # title "... with Japan" and partner Japan
        ("JAPAN", ["A8"]),  # case-insensitive
        ("mexico", ["A2", "A6"]),  # partner names only: neither title says Mexico
        ("three partners", ["A6"]),  # summary only
        ("preclearance", ["A1"]),  # title and summary
        ("%", []),  # a literal character, not a LIKE wildcard
    ],
)
def test_search_narrows_the_table(app_env, text, expected):
    at = _search(run_page(PAGE), text)
    assert not at.exception
    assert _shown_titles(at) == sorted(TITLES[a] for a in expected)


def test_search_text_is_bound_not_run(app_env):
    at = _search(run_page(PAGE), "'; DROP TABLE agreements; --")
    assert not at.exception
    assert _shown_titles(at) == []
    assert any(i.value.startswith("No agreements matching") for i in at.info)
    at = _search(at, "")
    assert len(_agreements(at)) == 7  # the table is still there
    assert metric(at, "Agreements shown").value == "7"


def test_downloads_hold_exactly_the_rows_shown(app_env, captured_downloads):
    at = _search(run_page(PAGE), "mexico")
    shown = _agreements(at)
    rows = list(csv.DictReader(io.StringIO(captured_downloads["agreements.csv"]().decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == list(shown.title) == [TITLES["A2"], TITLES["A6"]]
    assert [r["days_to_expiry"] for r in rows] == ["212", "487"]
    sheet = pd.read_excel(io.BytesIO(captured_downloads["agreements.xlsx"]()))
    assert list(sheet.title) == list(shown.title)
    for name in (
        "agreements_by_status_and_area.csv",
        "renewals_due_12_months.csv",
        "agreement_lifecycles.csv",
        "agreements_in_force_by_country.csv",
        "agreement_status_changes_agreement_changes.csv",
    ):
        assert name in captured_downloads, f"no download {name}"


def test_gantt_draws_each_shown_agreement(app_env):
    spec = _chart(run_page(PAGE), "agreement_gantt")
    bars = [t for t in spec["data"] if t["type"] == "bar"]  # one trace per status, one bar per agreement
    labels = dict(zip(spec["layout"]["yaxis"]["tickvals"], spec["layout"]["yaxis"]["ticktext"]))
    titles = [labels[y].split("<br>")[0] for t in bars for y in _array(t["y"])]
    assert sorted(titles) == sorted(TITLES[a] for a in DEFAULT_SHOWN)
    assert not any("F-A" in text for text in labels.values()), "ids stay in the tables"


def test_map_counts_agreements_in_force_per_partner_country(app_env):
    # In force on 2026-11-30: A1 (CAN), A2 (MEX), A6 (CAN, MEX, GBR), A8 (JPN).
    spec = _chart(run_page(PAGE), "agreement_map")
    choropleth = next(t for t in spec["data"] if t["type"] == "choropleth")
    assert dict(zip(_array(choropleth["locations"]), _array(choropleth["z"]))) == {
        "CAN": 2,
        "MEX": 2,
        "GBR": 1,
        "JPN": 1,
    }


def test_map_click_opens_the_country_profile(app_env):
    at = run_page(PAGE)
    at.session_state["agreement_map"] = {"selection": {"points": [{"location": "JPN"}]}}
    at.run()
    assert not at.exception
    assert at.session_state["atlas_country"] == "JPN"
    assert at.query_params["iso"] == "JPN"
    assert any("Japan" in t.value for t in list(at.title) + list(at.subheader))


def test_pipeline_counts_by_status(app_env):
    # Current status: in force A1, A2, A6, A8; negotiation A4; signed A5; expired A3.
    spec = _chart(run_page(PAGE), "agreement_pipeline")
    totals: dict[str, float] = {}
    for trace in spec["data"]:
        for status, n in zip(_array(trace["x"]), _array(trace["y"])):
            totals[status] = totals.get(status, 0) + (n or 0)
    assert totals == {"In negotiation": 1, "Signed": 1, "In force": 4, "Expired": 1, "Terminated": 0}


def test_status_changes_in_the_period(app_env):
    # Dated events 2025-12-01 .. 2026-11-30, newest first; A4's first sighting is not a change.
    changes = _table(run_page(PAGE), "changed_on")
    assert list(zip(changes.changed_on.dt.strftime("%Y-%m-%d"), changes.title, changes.status)) == [
        ("2026-11-10", TITLES["A5"], "Signed"),
        ("2026-10-31", TITLES["A3"], "Expired"),
        ("2026-02-01", TITLES["A6"], "In force"),
        ("2026-01-05", TITLES["A8"], "In force"),
        ("2025-12-20", TITLES["A6"], "Signed"),
        ("2025-12-15", TITLES["A8"], "Signed"),
    ]


def test_long_timelines_say_how_many_are_drawn(tmp_path, monkeypatch):
    # 45 open-ended agreements in force: the timeline draws 40 and says so; the table lists all 45.
    rows = [
        {
            "agreement_id": f"L{i:02d}",
            "title": f"Long list agreement {i:02d}",
            "agreement_type": "mou",
            "countries": "FRA",
            "mission_area": "visa",
            "status": "in_force",
            "date_signed": "2020-01-01",
            "date_in_force": "2020-02-01",
            "date_expires": "",
            "component": "CBP",
            "summary": "",
            "sensitivity": "internal",
        }
        for i in range(45)
    ]
    source = tmp_path / "agreements.csv"
    with source.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    db = tmp_path / "long.duckdb"
    build.build(db, with_demo=False)
    assert ingest.import_file(source, "agreements", db, today=pd.Timestamp("2026-11-30").date()).outcome == "success"
    monkeypatch.setenv("ATLAS_DB", str(db))
    monkeypatch.setenv("ATLAS_TODAY", "2026-11-30")
    monkeypatch.delenv("ATLAS_MAX_SENSITIVITY", raising=False)
    at = run_page(PAGE)
    assert not at.exception
    assert sum(len(t["y"]) for t in _chart(at, "agreement_gantt")["data"] if t["type"] == "bar") == 40
    assert any(i.value.startswith("Showing the 40 agreements that expire soonest, of 45.") for i in at.info)
    assert len(_agreements(at)) == 45
