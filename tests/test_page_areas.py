"""The mission areas page (AppTest on the fixture database, today pinned to 2026-11-30).

Hand-derived from tests/fixtures/*.csv, default period 2025-12-01..2026-11-30, previous period
2024-12-01..2025-11-30, viewer ceiling "internal" (F-E08 and F-A7 restricted, F-E06 cancelled):
  area              in period (country)                     previous       delta
  visa              F-E01 (CAN)                      = 1    F-E13 = 1      "no change"
  aviation          F-E02 (CAN), F-E10 (JPN)         = 2    -              "+2 (new)"
  cargo             F-E03 (CAN), F-E09 (SGP)         = 2    -              "+2 (new)"
  border            F-E04 (MEX)                      = 1    F-E14 = 1      "no change"
  immigration       F-E05 (MEX)                      = 1    -              "+1 (new)"
  law_enforcement   F-E11, F-E12 (both DEU)          = 2    -              "+2 (new)"
  counterterrorism  F-E07 (GBR)                      = 1    F-E15 = 1      "no change"
Engagement types in period: meeting F-E01, 05, 09, 11 = 4; training F-E02, 04 = 2; delegation F-E03, 10 = 2;
information exchange F-E07 = 1; conference F-E12 = 1.
Agreements overlapping the period by current status: in force F-A1, F-A8 (aviation), F-A2 (border),
F-A6 (law enforcement); expired F-A3 (visa); negotiation F-A4 (cargo); signed F-A5 (counter-terrorism).
"""

from __future__ import annotations

import base64
import html
import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from apptest_support import run_page
from atlas.data import vocab
from atlas.views import events

PAGE = "pages/3_Mission_Areas.py"
AREAS = [m.code for m in vocab.MISSION_AREAS]
IN_PERIOD = {
    "visa": ("1", "no change"),
    "aviation": ("2", "+2 (new)"),
    "cargo": ("2", "+2 (new)"),
    "border": ("1", "no change"),
    "immigration": ("1", "+1 (new)"),
    "law_enforcement": ("2", "+2 (new)"),
    "counterterrorism": ("1", "no change"),
}
WHERE = {
    "visa": {"CAN": 1},
    "aviation": {"CAN": 1, "JPN": 1},
    "cargo": {"CAN": 1, "SGP": 1},
    "border": {"MEX": 1},
    "immigration": {"MEX": 1},
    "law_enforcement": {"DEU": 2},
    "counterterrorism": {"GBR": 1},
}


def values(array) -> list:
    """A plotly JSON array: plain list, or base64 typed array {"dtype", "bdata"} (plotly >= 6)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def charts(at: AppTest) -> dict[str, dict]:
    """Plotly figure JSON by the widget key the page gave the chart."""
    return {c.proto.id.rsplit("-", 1)[-1]: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def area_maps(at: AppTest) -> dict[str, dict]:
    """The per-area maps: area code -> {iso3: engagements} from the choropleth trace."""
    out = {}
    for key, spec in charts(at).items():
        if key.startswith("area_map_"):
            choropleth = next(t for t in spec["data"] if t["type"] == "choropleth")
            out[key.removeprefix("area_map_")] = dict(zip(values(choropleth["locations"]), values(choropleth["z"])))
    return out


def card_numbers(at: AppTest) -> list[tuple[str, str]]:
    return [(m.value, m.delta) for m in at.metric if m.label == "Engagements in period"]


def ranked(at: AppTest) -> list[list[tuple[str, str]]]:
    """The top-partner lists of the area cards, as (country, number) rows read from their HTML."""
    out = []
    for element in at.get("html"):
        body = element.proto.body
        if 'class="atlas-ranked"' in body:
            rows = re.findall(r"<tr><td[^>]*>(.*?)</td>.*?<td class=\"atlas-number\"[^>]*>(.*?)</td></tr>", body)
            out.append([(html.unescape(name), number) for name, number in rows])
    return out


def test_all_areas_side_by_side(app_env):
    at = run_page(PAGE)
    assert not at.exception
    assert card_numbers(at) == [IN_PERIOD[a] for a in AREAS], "one card per area, in vocabulary order"
    assert area_maps(at) == WHERE


def test_the_sidebar_filter_is_the_only_choice_of_areas(app_env):
    # The page used to have its own "Show" selector beside the sidebar's filter (and "Showing:" ignored it).
    at = run_page(PAGE)
    assert [s.label for s in at.main.selectbox] == []
    assert "areas_choice" not in at.session_state
    at = run_page(PAGE, {"area": "aviation"})
    assert any("Showing: 01 Dec 2025 – 30 Nov 2026 · Aviation Security" in c.value for c in at.caption)


def test_each_area_map_wears_its_own_colour(app_env):
    for code, spec in (
        (k.removeprefix("area_map_"), v) for k, v in charts(run_page(PAGE)).items() if k.startswith("area_map_")
    ):
        choropleth = next(t for t in spec["data"] if t["type"] == "choropleth")
        assert choropleth["colorscale"][-1][1] == vocab.MISSION_AREA_COLOURS[code], code
        assert choropleth["showscale"] is False, "small multiples carry no colour bar"
        assert spec["layout"]["height"] == 220


def test_small_states_get_a_dot_on_the_area_map(app_env):
    spec = charts(run_page(PAGE))["area_map_cargo"]
    dots = [t for t in spec["data"] if t["type"] == "scattergeo"]
    assert [values(d["customdata"]) for d in dots] == [["SGP"]]  # F-E09 in Singapore


def test_one_area_in_the_sidebar_filter_shows_only_that_area(app_env):
    at = run_page(PAGE, {"area": "aviation"})
    assert not at.exception
    assert area_maps(at) == {"aviation": {"CAN": 1, "JPN": 1}}
    assert card_numbers(at) == [("2", "+2 (new)")]
    specs = charts(at)
    assert [t["name"] for t in specs["area_trend"]["data"] if t.get("meta") != "event"] == ["Aviation Security"]
    assert {t["name"] for t in specs["area_types"]["data"]} == {"Aviation Security"}
    assert {t["name"] for t in specs["area_pipeline"]["data"]} == {"Aviation Security"}
    assert ranked(at) == [[("Canada", "1"), ("Japan", "1")]]
    assert any(c.value == vocab.MISSION_AREA_BY_CODE["aviation"].description for c in at.caption)


def test_the_sidebar_area_filter_picks_the_areas(app_env):
    at = run_page(PAGE, {"area": "cargo,visa"})
    assert not at.exception
    assert set(area_maps(at)) == {"cargo", "visa"}
    assert [t["name"] for t in charts(at)["area_trend"]["data"]] == ["Visa Security", "Cargo Security"]
    at = run_page(PAGE, {"area": "law_enforcement"})
    assert area_maps(at) == {"law_enforcement": {"DEU": 2}}


def test_top_partner_numbers_are_whole_and_unclipped(app_env):
    # The cards used a progress column that cut numbers off ("25", "36"); now a table whose number column
    # does not wrap and is as wide as its number.
    at = run_page(PAGE)
    assert ranked(at) == [
        [("Canada", "1")],
        [("Canada", "1"), ("Japan", "1")],
        [("Canada", "1"), ("Singapore", "1")],
        [("Mexico", "1")],
        [("Mexico", "1")],
        [("Germany", "2")],
        [("United Kingdom", "1")],
    ]
    body = next(e.proto.body for e in at.get("html") if 'class="atlas-ranked"' in e.proto.body)
    assert ".atlas-ranked .atlas-number{text-align:right;white-space:nowrap" in body and 'class="atlas-number"' in body


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"component": "TSA"}, {"aviation": ("2", "+2 (new)")}),  # F-E02, F-E10
        ({"country": "CAN"}, {"visa": ("1", "no change"), "aviation": ("1", "+1 (new)"), "cargo": ("1", "+1 (new)")}),
        (
            {"type": "meeting"},
            {
                "visa": ("1", "no change"),
                "cargo": ("1", "+1 (new)"),  # F-E01, F-E09, F-E11, F-E05
                "immigration": ("1", "+1 (new)"),
                "law_enforcement": ("1", "+1 (new)"),
            },
        ),
        ({"from": "2026-11-30", "to": "2026-11-30"}, {"law_enforcement": ("1", "+1 (new)")}),  # F-E12
    ],
)
def test_the_sidebar_filters_change_the_numbers(app_env, query, expected):
    at = run_page(PAGE, query)
    assert not at.exception
    got = {code: number for code, number in zip(AREAS, card_numbers(at)) if number[0] != "0"}
    assert got == expected


def test_trend_chart_data(app_env):
    spec = charts(run_page(PAGE))["area_trend"]
    lines = {t["name"]: dict(zip(t["x"], values(t["y"]))) for t in spec["data"] if t.get("meta") != "event"}
    assert set(lines) == {vocab.mission_area_label(a) for a in AREAS}
    assert lines["Law Enforcement"] == {"2025-12-01": 1.0, "2026-11-01": 1.0}
    assert lines["Aviation Security"] == {"2026-03-01": 1.0, "2026-08-01": 1.0}
    assert spec["layout"]["yaxis"]["rangemode"] == "tozero"
    # Each panel is titled with its area: the legend names only the kinds of event marked on them.
    assert {t["name"] for t in spec["data"] if t.get("showlegend")} == {
        "Agreement signed",
        "Agreement entered into force",
    }


def test_trend_is_small_multiples_on_one_scale(app_env):
    # Seven lines on one chart could not be told apart: one panel per area, each with its own axes.
    spec = charts(run_page(PAGE))["area_trend"]
    axes = [(t["xaxis"], t["yaxis"]) for t in spec["data"] if t.get("meta") != "event"]
    assert axes == [("x", "y")] + [(f"x{i}", f"y{i}") for i in range(2, 8)]
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles == [f"<b>{vocab.mission_area_label(a)}</b>" for a in AREAS]
    assert all(spec["layout"][f"yaxis{i}"]["matches"] == "y" for i in range(2, 8)), "one scale for all"
    # at most 1 a month, + 10%, and room above for the strip of agreement events
    assert spec["layout"]["yaxis"]["range"] == [0, pytest.approx(1.1 / (1 - events.STRIP))]


def test_a_partial_last_month_is_marked_on_the_trend(app_env):
    # Period 2026-01-01..2026-11-15: November holds half a month (F-E12 on 30 Nov falls outside it).
    at = run_page(PAGE, {"from": "2026-01-01", "to": "2026-11-15"})
    spec = charts(at)["area_trend"]
    assert not [t for t in spec["data"] if "partial" in t["name"]], "no engagement in November: nothing to mark"
    at = run_page(PAGE, {"from": "2026-01-01", "to": "2026-08-19"})  # F-E10 on 18 Aug
    spec = charts(at)["area_trend"]
    dashed = [t for t in spec["data"] if t["name"] == "Aviation Security (partial month)"]
    assert len(dashed) == 1 and dashed[0]["line"]["dash"] == "dash"
    assert [x[:10] for x in dashed[0]["x"] if x] == ["2026-03-01", "2026-08-01"]  # from March into August
    assert spec["layout"]["annotations"][-1]["text"].endswith("Aug 2026: period ends 19 Aug")


def test_engagement_types_chart_data(app_env):
    spec = charts(run_page(PAGE))["area_types"]
    totals: dict[str, float] = {}
    for trace in spec["data"]:
        for label, n in zip(trace["y"], values(trace["x"])):
            totals[label] = totals.get(label, 0) + (n if n == n else 0)  # NaN: area absent
    assert totals == {"Meeting": 4, "Training": 2, "Delegation": 2, "Information exchange": 1, "Conference": 1}


def test_agreements_by_status_chart_data(app_env):
    spec = charts(run_page(PAGE))["area_pipeline"]
    bars = {(t["name"], x): y for t in spec["data"] for x, y in zip(t["x"], values(t["y"])) if y}
    assert bars == {
        ("Aviation Security", "In force"): 2,
        ("Border Security and Training", "In force"): 1,
        ("Law Enforcement", "In force"): 1,
        ("Visa Security", "Expired"): 1,
        ("Cargo Security", "In negotiation"): 1,
        ("Counter-Terrorism", "Signed"): 1,
    }


def test_empty_filters_say_why(app_env):
    at = run_page(PAGE, {"area": "visa", "component": "TSA"})  # no TSA visa work at all
    assert not at.exception
    assert not area_maps(at)
    info = [i.value for i in at.info]
    assert any(v.startswith("No engagements for these filters") for v in info)
    assert any(v.startswith("No agreements for these filters") for v in info)
    assert any(v.startswith("No Visa Security engagements for these filters") for v in info)


def test_clicking_a_country_on_an_area_map_opens_its_profile(app_env):
    at = run_page(PAGE)
    at.session_state["area_map_cargo"] = {"selection": {"points": [{"location": "SGP"}]}}
    at.run()
    assert not at.exception
    assert at.session_state["atlas_country"] == "SGP"
    assert at.query_params["iso"] == "SGP"
    assert at.title[0].value == "Singapore"


def test_every_chart_has_downloads(app_env):
    keys = {b.key for b in run_page(PAGE).get("download_button")}
    for what in ("area_trend", "area_maps", "area_types", "area_pipeline"):
        assert {f"csv_{what}", f"xlsx_{what}"} <= keys, what
