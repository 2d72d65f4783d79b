"""Clicks on maps and charts open the country profile; map tooltips, colours and layers read right (AppTest and
the pure map builders, on the fixture database; the browser half is tests/e2e/test_maps_browser.py)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from apptest_support import run_page
from atlas.app.widgets import clicked_country
from atlas.views import maps, worldmap

HOSTILE = '<img src=x onerror=alert(1)> "16 locations'


@pytest.mark.parametrize(
    "event, iso3",
    [
        ({"selection": {"points": [{"location": "CAN"}]}}, "CAN"),  # plotly choropleth
        ({"selection": {"points": [{"customdata": "SGP"}]}}, "SGP"),  # plotly marker / bar
        ({"selection": {"points": [{"customdata": ["JPN", 3]}]}}, "JPN"),  # customdata as a list
        (
            {"selection": {"indices": {"countries": [5]}, "objects": {"countries": [{"properties": {"iso3": "BRA"}}]}}},
            "BRA",
        ),  # a pydeck selection (the decoder still reads one)
        ({"selection": {"indices": {"activity": [0]}, "objects": {"activity": [{"iso3": "AUS"}]}}}, "AUS"),
        ({"selection": {"points": [], "indices": {}, "objects": {}}}, None),
        ({"selection": {"points": [{"x": 3}]}}, None),
        (None, None),
    ],
)
def test_one_decoder_reads_plotly_and_pydeck_clicks(event, iso3):
    assert clicked_country(event) == iso3


def _profile_opened(at, iso3: str, name: str) -> None:
    assert not at.exception, at.exception
    assert at.session_state["atlas_country"] == iso3
    assert any(name in t.value for t in [*at.title, *at.header, *at.subheader])


@pytest.mark.parametrize(
    "point",
    [{"location": "CAN"}, {"customdata": "CAN"}],  # the shape, a small-state dot or a programme site
)
def test_a_click_on_the_activity_map_opens_the_profile(app_env, point):
    at = run_page("pages/1_Activity_Map.py")
    at.session_state["activity_map"] = {"selection": {"points": [point]}}
    _profile_opened(at.run(), "CAN", "Canada")


def test_top_partner_bars_carry_their_country_and_open_it(app_env):
    at = run_page()
    charts = {c.proto.id.rsplit("-", 1)[-1]: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    bars = charts["top_partners"]["data"]
    assert bars and all(len(t["customdata"]) == len(t["y"]) for t in bars)
    first = bars[0]
    assert dict(zip(first["y"], first["customdata"]))["Canada"] == "CAN"
    at.session_state["top_partners"] = {"selection": {"points": [{"y": "Canada", "customdata": "CAN"}]}}
    _profile_opened(at.run(), "CAN", "Canada")


def test_overview_map_click_opens_the_profile(app_env):
    at = run_page()
    at.session_state["overview_map"] = {"selection": {"points": [{"location": "MEX"}]}}
    _profile_opened(at.run(), "MEX", "Mexico")


def _activity_traces(at) -> list[dict]:
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("activity_map"))
    return json.loads(chart.proto.spec)["data"]


def test_every_hoverable_trace_has_a_formatted_tooltip_and_the_others_none(app_env):
    at = run_page("pages/1_Activity_Map.py")
    for trace in _activity_traces(at):
        if trace.get("hoverinfo") == "skip":
            continue
        assert trace["hoverinfo"] == "text", trace["name"]
        for text in trace["hovertext"]:
            assert text.startswith("<b>") and "</b><br>" in text, (trace["name"], text)
            assert "{" not in text and "&quot;" not in text, text


def test_user_text_is_escaped_once_for_plotly():
    frame = pd.DataFrame(
        {
            "iso3": ["IRL"],
            "name": [HOSTILE],
            "lat": [53.0],
            "lon": [-8.0],
            "small": [False],
            "engagements": [3],
            "prev_engagements": [1],
            "top_area": ["visa"],
        }
    )
    hover = maps.activity_centroids(frame).iloc[0]["hover"]
    assert hover.startswith('<b>&lt;img src=x onerror=alert(1)&gt; "16 locations</b>'), hover  # inert, no &quot;


def test_announced_sites_are_hollow_and_uncertain_ones_marked():
    sites = pd.DataFrame(
        {
            "program_code": ["preclearance"] * 3,
            "program": ["CBP Preclearance"] * 3,
            "iso3": ["IRL", "SWE", "CAN"],
            "country": ["Ireland", "Sweden", "Canada"],
            "place": ["Shannon Airport", "Stockholm Arlanda", "Billy Bishop"],
            "lat": [52.7, 59.6, 43.6],
            "lon": [-8.9, 17.9, -79.4],
            "is_current": [True, False, True],
            "status": [
                "operational (air preclearance)",
                "ANNOUNCED 2024; not yet operational",
                "operational from 2026",
            ],
            "uncertain": [False, False, True],
            "source_url": ["https://www.cbp.gov/travel/preclearance ; x"] * 3,
            "source_as_of": ["2025-01-01"] * 3,
        }
    )
    rows = maps.program_rows(sites, "preclearance").set_index("iso3")
    assert rows.loc["SWE", "symbol"] == "circle-open" and rows.loc["IRL", "symbol"] == "circle", "announced: outline"
    assert "ANNOUNCED" in rows.loc["SWE", "detail"] and "ANNOUNCED" not in rows.loc["IRL", "detail"]
    assert "UNCERTAIN" in rows.loc["CAN", "detail"] and rows.loc["CAN", "mark"] == "?"
    assert "source: https://www.cbp.gov/travel/preclearance" in rows.loc["IRL", "detail"]
    assert "as of: 2025-01-01" in rows.loc["IRL", "detail"]
    (trace,) = maps.program_traces(sites, "preclearance")
    assert trace["marker"]["symbol"] == ["circle", "circle-open", "circle"] and trace["text"] == ["", "", "?"]


def test_small_and_large_counts_get_different_colours_and_a_legend_of_ranges():
    # Agreements in force: Saudi Arabia 5, Canada 39 must not share a colour.
    assert maps.shade(5, 39) != maps.shade(39, 39) != maps.shade(1, 39)
    assert [label for label, _ in maps.legend(pd.Series([1, 5, 39]))] == ["1", "2–4", "5–9", "10–19", "20–39"]
    frame = pd.DataFrame(
        {
            "iso3": ["SAU", "CAN"],
            "name": ["Saudi Arabia", "Canada"],
            "small": [False, False],
            "lat": [24, 56],
            "lon": [45, -100],
            "agreements": [5, 39],
        }
    )
    fig = worldmap.world_choropleth(frame, value="agreements", label="Agreements in force", colour="#0072B2")
    trace = fig.data[0]
    position = {v: (v - trace.zmin) / (trace.zmax - trace.zmin) for v in (5, 39)}

    def colour_at(p: float) -> str:
        return [c for stop, c in trace.colorscale if stop <= p][-1]

    assert colour_at(position[5]) != colour_at(position[39])
    assert "20–39" in fig.layout.annotations[0].text and "Agreements in force" in fig.layout.annotations[0].text


def test_dots_and_sites_draw_above_the_arcs_which_take_no_hover(app_env):
    at = run_page("pages/1_Activity_Map.py")
    names = [t["name"] for t in _activity_traces(at)]
    arcs = [i for i, n in enumerate(names) if n.startswith("arc ")]
    assert arcs and max(arcs) < names.index("Active countries")
    assert all(t["hoverinfo"] == "skip" for t in _activity_traces(at) if t["name"].startswith("arc "))


def test_every_arc_lands_inside_the_frame():
    by_area = pd.DataFrame(
        {
            "iso3": ["JPN", "AUS", "GBR", "IND", "BRA", "NZL"],
            "name": list("abcdef"),
            "lat": [36, -25, 54, 21, -10, -41],
            "lon": [138, 134, -2, 78, -52, 174],
            "mission_area": ["visa"] * 6,
            "engagements": [6, 5, 4, 3, 2, 1],
        }
    )
    for trace in maps.arc_traces(by_area):
        assert all(maps.CENTRE_LON - 180 < lon < maps.CENTRE_LON + 180 for lon in trace["lon"]), trace["name"]


def test_page_header_is_one_line_under_the_title(app_env):
    at = run_page("pages/1_Activity_Map.py")
    captions = [c.value for c in at.caption]
    line = next(c for c in captions if "Showing:" in c)
    assert "Data as of" in line and "click a country to open its profile" in line and "\n" not in line


def test_every_map_has_its_numbers_behind_it(app_env):
    for page in ("dashboard.py", "pages/1_Activity_Map.py"):
        at = run_page(page)
        assert any(e.label.startswith("Numbers behind") for e in at.expander), page


def test_demo_banner_counts_engagements_as_the_tile_does(fixture_db, tmp_path, monkeypatch):  # noqa: F811
    import shutil

    from apptest_support import TODAY, metric
    from atlas.data import ingest

    path = shutil.copy(fixture_db, tmp_path / "atlas.duckdb")
    (tmp_path / "e.csv").write_text(
        "engagement_id,title,start_date,country,mission_area,status,demo\n"
        "D-E1,Demo talks,2026-02-10,BRA,visa,completed,true\n"
        "D-E2,Demo workshop,2026-05-12,BRA,visa,completed,true\n"
        "D-E3,Demo visit called off,2026-06-12,BRA,visa,cancelled,true\n",
        encoding="utf-8",
    )
    assert ingest.import_file(tmp_path / "e.csv", "engagements", path, today=TODAY).outcome == "success"
    monkeypatch.setenv("ATLAS_DB", str(path))
    monkeypatch.setenv("ATLAS_TODAY", TODAY.isoformat())
    monkeypatch.delenv("ATLAS_MAX_SENSITIVITY", raising=False)
    at = run_page(query={"country": "BRA"})
    assert metric(at, "Engagements in period").value == "2"
    banner = next(w.value for w in at.warning if "DEMO DATA" in w.value)
    assert "— 2 engagement(s)" in banner, banner  # not 3: the cancelled one is not counted anywhere
