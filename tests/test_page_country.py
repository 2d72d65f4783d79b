"""The country profile page (AppTest on the fixture database, today pinned to 2026-11-30).

Hand-derived from tests/fixtures/*.csv, default period 2025-12-01..2026-11-30, previous period
2024-12-01..2025-11-30, viewer ceiling "internal" (F-E08 and F-A7 are restricted and never counted):
- Canada: engagements F-E01 (visa, CBP, meeting, 10 people), F-E02 (aviation, TSA, training, 25) and
  F-E03 (cargo, CBP, delegation, 8) = 3, participants 43; previous period F-E13 (visa, CBP, meeting) = 1
  -> "+2 (+200%)". F-E17 (2027) is after the period.
  Agreements with CAN as a party: F-A1 (in force, open-ended), F-A3 (expired 2026-10-31), F-A6 (in force)
  -> in force on 2026-11-30: F-A1, F-A6 = 2; in negotiation 0.
  Programmes (data/reference, second sourcing pass): CBP Preclearance 11 rows, 10 operational (8 airports,
  the Victoria ferry terminal, Billy Bishop, flagged uncertain) and Québec City announced (not current);
  CSI 3 ports (Halifax, Montreal, Vancouver), CBP attaché office Ottawa 1, ICE VSP unit 1 (flagged uncertain)
  -> 15 current rows in 4 programmes, one announced row in a table of its own.
- Mexico: F-E04, F-E05 = 2 (F-E06 cancelled), participants 52; previous F-E14 = 1 -> "+1 (+100%)";
  in force F-A2, F-A6 = 2 (F-A7 restricted); programmes: CBP IAP and the CBP attaché office = 2.
- Busiest partner in the default filters: Canada 3 (Mexico 2, Germany 2). With law enforcement only:
  Germany (F-E11, F-E12).
- Romania: no records; its VWP designation was rescinded on 2025-05-02 (is_current false); a current PCSC
  (or equivalent) row, flagged uncertain.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from apptest_support import ROOT, TODAY, metric, run_page
from atlas.data import filters as flt
from atlas.data import vocab

PAGE = "pages/2_Country_Profile.py"
TILES = ("Engagements in period", "Participants", "Agreements in force", "In negotiation", "Programmes present")
TITLES = {
    "F-A1": "US-Canada Preclearance Agreement",
    "F-A3": "Arrangement on Visa Information Sharing",
    "F-A6": "Trilateral Law Enforcement Arrangement",
}


def tiles(at: AppTest) -> dict[str, str]:
    return {label: metric(at, label).value for label in TILES}


def values(array) -> list:
    """A plotly JSON array: plain list, or base64 typed array {"dtype", "bdata"} (plotly >= 6)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def chart(at: AppTest, key: str) -> dict:
    """The plotly figure JSON of the chart drawn with this widget key."""
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, f"no single chart {key!r}"
    return json.loads(found[0].proto.spec)


def table(at: AppTest, column: str, nth: int = 0):
    """The nth data table (in page order) that has this column."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) > nth, f"{len(found)} tables with a {column!r} column"
    return found[nth]


def texts(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.info, *at.warning, *at.caption, *at.markdown])


def test_canada_headline_numbers(app_env):
    at = run_page(PAGE, {"iso": "CAN"})
    assert not at.exception
    assert at.title[0].value == "Canada"
    assert tiles(at) == {
        "Engagements in period": "3",
        "Participants": "43",
        "Agreements in force": "2",
        "In negotiation": "0",
        "Programmes present": "4",
    }
    assert metric(at, "Engagements in period").delta == "+2 (+200%)"
    assert not [i for i in at.info if "No country chosen" in i.value], "a chosen country needs no notice"


def test_url_iso_opens_mexico(app_env):
    at = run_page(PAGE, {"iso": "MEX"})
    assert not at.exception
    assert at.title[0].value == "Mexico"
    assert tiles(at) == {
        "Engagements in period": "2",
        "Participants": "52",
        "Agreements in force": "2",
        "In negotiation": "0",
        "Programmes present": "2",
    }
    assert metric(at, "Engagements in period").delta == "+1 (+100%)"
    assert at.query_params["iso"] == "MEX"


@pytest.mark.parametrize(
    "query, expected",
    [
        # F-E02 only; F-E13 (previous) is visa; F-A1 is the aviation agreement.
        ({"area": "aviation"}, ("1", "25", "1", "+1 (new)")),
        # F-E01, F-E03 (F-E02 is TSA); previous F-E13 is CBP; F-A1 is CBP, F-A6 is ICE.
        ({"component": "CBP"}, ("2", "18", "1", "+1 (+100%)")),
        # F-E01 is the meeting, as is F-E13; the engagement type does not narrow agreements.
        ({"type": "meeting"}, ("1", "10", "2", "no change")),
        # The agreement status narrows agreements only: F-A3, which is expired on 2026-11-30.
        ({"status": "expired"}, ("3", "43", "0", "+2 (+200%)")),
        # F-E01 only; previous period 2025-11-03..2025-12-31 has nothing for Canada; on 2026-02-28 F-A1,
        # F-A3 (expired only on 2026-10-31) and F-A6 (in force from 2026-02-01) were all in force.
        ({"from": "2026-01-01", "to": "2026-02-28"}, ("1", "10", "3", "+1 (new)")),
    ],
)
def test_the_other_sidebar_filters_apply(app_env, query, expected):
    at = run_page(PAGE, {"iso": "CAN", **query})
    assert not at.exception
    got = (
        metric(at, "Engagements in period").value,
        metric(at, "Participants").value,
        metric(at, "Agreements in force").value,
        metric(at, "Engagements in period").delta,
    )
    assert got == expected


def test_filters_set_in_session_state_apply(app_env):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.session_state["atlas_filters"] = dataclasses.replace(flt.default_filters(TODAY), components=("TSA",))
    at.session_state["atlas_country"] = "CAN"
    at.switch_page(PAGE).run()
    assert not at.exception
    assert metric(at, "Engagements in period").value == "1"  # F-E02, the TSA course
    assert metric(at, "Agreements in force").value == "0"  # F-A1 is CBP, F-A6 ICE


def test_the_sidebar_country_filter_gives_way_to_the_chosen_country(app_env):
    at = run_page(PAGE, {"iso": "CAN", "country": "MEX"})
    assert not at.exception
    assert at.title[0].value == "Canada"
    assert metric(at, "Engagements in period").value == "3"
    assert "country and region choices do not apply on this page" in texts(at)
    assert set(table(at, "participants").country) == {"Canada"}


def test_restricted_records_need_a_higher_ceiling(app_env, monkeypatch):
    assert metric(run_page(PAGE, {"iso": "GBR"}), "Engagements in period").value == "1"  # F-E07
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "restricted")
    assert metric(run_page(PAGE, {"iso": "GBR"}), "Engagements in period").value == "2"  # + F-E08


def test_without_a_country_the_busiest_partner_is_shown_and_said(app_env):
    at = run_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "Canada"
    assert at.selectbox(key="country_pick").value == "CAN"
    assert any("No country chosen" in i.value and "Canada" in i.value for i in at.info)
    assert "iso" not in at.query_params, "a default is not a choice: the link does not pin it"


def test_the_busiest_partner_follows_the_filters(app_env):
    at = run_page(PAGE, {"area": "law_enforcement"})
    assert at.title[0].value == "Germany"  # F-E11, F-E12
    assert metric(at, "Engagements in period").value == "2"


def test_picking_a_country_selects_it_and_puts_it_in_the_link(app_env):
    at = run_page(PAGE)
    at.selectbox(key="country_pick").set_value("MEX").run()
    assert not at.exception
    assert at.title[0].value == "Mexico"
    assert at.session_state["atlas_country"] == "MEX"
    assert at.query_params["iso"] == "MEX"
    assert not [i for i in at.info if "No country chosen" in i.value]


def test_an_unknown_country_in_the_link_is_tolerated_with_a_notice(app_env):
    at = run_page(PAGE, {"iso": "XXX"})
    assert not at.exception
    notices = " ".join(i.value for i in at.info)
    assert "Ignored unknown country in the link" in notices and "XXX" in notices
    assert at.title[0].value == "Canada", "falls back to the busiest partner"


def test_canada_programmes_with_source_and_as_of(app_env):
    with (ROOT / "data" / "reference" / "cbp_preclearance_locations.csv").open(encoding="utf-8") as f:
        preclearance = sum(1 for r in csv.DictReader(f) if r["iso3"] == "CAN")
    assert preclearance == 11, "8 airports, the Victoria ferry terminal, Billy Bishop and Québec City (announced)"
    at = run_page(PAGE, {"iso": "CAN"})
    rows = table(at, "membership")
    assert len(rows) == 15
    assert rows.program.value_counts().to_dict() == {
        "CBP Preclearance": 10,
        "Container Security Initiative (CSI)": 3,
        "CBP attaché office": 1,
        "ICE Visa Security Program (VSP) unit": 1,
    }
    assert set(rows.membership) == {"Current"}
    assert sorted(rows.loc[rows.uncertain == "Uncertain", "program"]) == [
        "CBP Preclearance",
        "ICE Visa Security Program (VSP) unit",
    ]
    announced = table(at, "membership", 1)
    assert announced[["program", "membership"]].values.tolist() == [["CBP Preclearance", "Announced"]]
    assert not [w for w in at.warning if "not** currently part of" in w.value], "announced is not lapsed"
    assert rows.source_url.str.startswith("http").all() and (rows.source_as_of.str.len() > 0).all()
    assert rows.source_link.str.match(r"^https?://\S+$").all(), "the link is one address, not the source list"


def test_romania_rescinded_vwp_designation_reads_as_not_current(app_env):
    at = run_page(PAGE, {"iso": "ROU"})
    assert not at.exception
    assert metric(at, "Programmes present").value == "1"
    current = table(at, "membership")
    assert current[["program", "membership", "uncertain"]].values.tolist() == [
        ["Preventing and Combating Serious Crime (PCSC) agreement", "Current", "Uncertain"]
    ]
    rows = table(at, "membership", 1)
    assert rows[["program", "membership"]].values.tolist() == [["Visa Waiver Program (VWP)", "NOT current"]]
    assert "rescinded" in rows.status.iloc[0]
    warning = " ".join(w.value for w in at.warning)
    assert "**not** currently part of" in warning and "Visa Waiver Program" in warning


def test_romania_without_activity_says_why(app_env):
    at = run_page(PAGE, {"iso": "ROU"})
    assert metric(at, "Engagements in period").value == "0"
    assert any(i.value.startswith("No engagements with Romania for these filters") for i in at.info)
    assert any(i.value.startswith("No agreements with Romania for these filters") for i in at.info)


def test_engagements_over_time_chart_data(app_env):
    spec = chart(run_page(PAGE, {"iso": "CAN"}), "country_mix")
    bars = {t["name"]: (t["x"], values(t["y"])) for t in spec["data"] if t.get("meta") != "event"}
    assert bars == {
        "Visa Security": (["2026-01-01"], [1.0]),  # F-E01
        "Aviation Security": (["2026-03-01"], [1.0]),  # F-E02
        "Cargo Security": (["2026-06-01"], [1.0]),
    }  # F-E03
    colours = {t["name"]: t["marker"]["color"] for t in spec["data"] if t.get("meta") != "event"}
    assert colours["Cargo Security"] == vocab.MISSION_AREA_COLOURS["cargo"]


def test_region_comparison_chart_data(app_env):
    spec = chart(run_page(PAGE, {"iso": "CAN"}), "country_region")
    bars = spec["data"][0]
    # Americas with engagements: Canada 3, Mexico 2 (drawn bottom-up, so the busiest comes last).
    assert dict(zip(values(bars["y"]), values(bars["x"]))) == {"Mexico": 2.0, "Canada": 3.0}
    at = run_page(PAGE, {"iso": "CAN"})
    assert metric(at, "Rank in Americas").value == "1 of 2"
    assert metric(at, "Share of the region's engagements").value == "60%"


def test_agreements_lifecycle_chart_and_table(app_env):
    at = run_page(PAGE, {"iso": "CAN"})
    spec = chart(at, "country_gantt")
    labels = dict(zip(spec["layout"]["yaxis"]["tickvals"], spec["layout"]["yaxis"]["ticktext"]))
    bars = {labels[y]: t["name"] for t in spec["data"] if t["type"] == "bar" for y in values(t["y"])}
    # Each row: the title over its partner countries by name (no ids); soonest expiry on top.
    assert bars == {
        f"{TITLES['F-A1']}<br>Canada": "In force",
        f"{TITLES['F-A6']}<br>Canada; Mexico; United Kingdom": "In force",
        f"{TITLES['F-A3']}<br>Canada; United Kingdom": "Expired",
    }
    assert [labels[y].split("<br>")[0] for y in sorted(labels, reverse=True)] == [
        TITLES["F-A3"],
        TITLES["F-A6"],
        TITLES["F-A1"],
    ]
    rows = table(at, "days_to_expiry")
    assert rows.title.tolist() == [TITLES["F-A3"], TITLES["F-A6"], TITLES["F-A1"]]  # by expiry, open-ended last
    assert rows.status.tolist() == ["Expired", "In force", "In force"]


def test_recent_engagements_are_the_countrys_own(app_env):
    rows = table(run_page(PAGE, {"iso": "CAN"}), "participants")
    assert rows.title.tolist() == [
        "Cargo delegation to Vancouver",
        "Aviation screening course",
        "Visa security talks with Canada",
    ]  # F-E03, F-E02, F-E01


def test_every_chart_and_table_has_downloads(app_env):
    at = run_page(PAGE, {"iso": "CAN"})
    keys = {b.key for b in at.get("download_button")}
    for what in ("country_mix", "country_region", "country_agreements", "country_programmes", "country_recent"):
        assert {f"csv_{what}", f"xlsx_{what}"} <= keys, what
