"""The app as a session uses it (AppTest on the fixture database): pages, filters, URL, map clicks.

Hand-derived numbers for the default period 2025-12-01..2026-11-30 (today 2026-11-30), viewer
ceiling "internal":
- engagements in period, not cancelled, not restricted: F-E01..05, 07, 09..12 = 10
  (F-E06 is cancelled, F-E08 restricted); previous period F-E13, 14, 15 = 3 -> "+7 (+233%)"
- countries: CAN, MEX, GBR, SGP, JPN, DEU = 6; previous CAN, MEX, FRA = 3
- agreements in force on 2026-11-30: A1, A2, A6, A8 = 4; on 2025-11-30: A1, A2, A3 = 3
- in negotiation: A4 = 1; expiring within 12 months: A2 (2027-06-30), A8 (2026-12-20) = 2
"""

from __future__ import annotations

import json

import pytest

from apptest_support import PAGE_FILES, metric, run_page
from atlas.data import vocab


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_runs_without_exception(app_env, page):
    at = run_page(page)
    assert not at.exception, at.exception
    if page.endswith("Briefing.py"):  # the wall screen draws its own large slide title
        assert any("slide-title" in h.proto.body for h in at.get("html"))
    else:
        assert at.title, "every page has a title"


# How each page's numbers count a record with several partners (vocab.COUNTING), checked against what it shows:
# (counting, the records it counts). A new page must be added here.
COUNTING = {
    "dashboard.py": ("both", "engagement or agreement"),  # headline totals and the trend; map and top partners
    "pages/1_Activity_Map.py": ("per_country", "engagement"),  # countries shaded, arcs to the busiest
    "pages/2_Country_Profile.py": ("per_country", "engagement or agreement"),  # one country's figures
    "pages/3_Mission_Areas.py": ("both", "engagement or agreement"),  # area totals and trends; maps and top lists
    "pages/4_Agreements.py": ("both", "agreement"),  # agreements shown; the map of those in force per country
    "pages/5_Data.py": ("total", "engagement or agreement"),  # record counts
    "pages/7_Upcoming.py": ("total", "engagement"),  # the agenda's totals, once each
    "pages/8_Watchlist.py": ("both", "engagement or agreement"),  # per-partner rules; agreements listed once
    "pages/9_Compare.py": ("per_partner", "engagement or agreement"),  # countries and organizations side by side
    "pages/10_Organization_Profile.py": ("per_partner", "engagement or agreement"),  # its figures and its countries
    "pages/11_What_Changed.py": ("total", "engagement or agreement"),  # records new or changed, each once
}
# Pages that draw no page header: the briefing's slides carry their own notes.
NO_HEADER = {"pages/6_Briefing.py"}


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_that_shows_counts_says_how_it_counts(app_env, page):
    at = run_page(page)
    notes = [vocab.counting_note(kind, noun) for kind in vocab.COUNTING for noun in ("engagement", "agreement")]
    notes += [vocab.counting_note(kind, "engagement or agreement") for kind in vocab.COUNTING]
    said = [c.value.replace("\\", "") for c in at.caption]
    if page in NO_HEADER:
        assert not any(n in c for c in said for n in notes)
        return
    kind, noun = COUNTING[page]
    header = next(c for c in said if c.count(" · ") >= 2 and "Showing:" in c)  # the line under the title
    assert vocab.counting_note(kind, noun) in header
    assert sum(n in header for n in notes) == 1, "one counting note, said once"


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_labels_demo_data_only_when_shown(app_env, page):
    at = run_page(page)
    assert not [w for w in at.warning if "DEMO DATA" in w.value], "the fixture holds no demo records"


def test_overview_headline_numbers(app_env):
    at = run_page()
    assert metric(at, "Engagements in period").value == "10"
    assert metric(at, "Engagements in period").delta == "+7 (+233%)"
    assert metric(at, "Partner countries engaged").value == "6"
    assert metric(at, "Partner countries engaged").delta == "+3 (+100%)"
    assert metric(at, "Agreements in force").value == "4"
    assert metric(at, "Agreements in force").delta == "+1 (+33%)"
    assert metric(at, "In negotiation").value == "1"
    assert metric(at, "Expiring in 12 months").value == "2"


@pytest.mark.parametrize(
    "query, engagements, countries, in_force",
    [
        ({"area": "visa"}, "1", "1", "0"),  # F-E01 (F-E08 restricted); A3 expired 2026-10-31
        ({"area": "cargo"}, "2", "2", "0"),  # F-E03 CAN, F-E09 SGP; A4 is in negotiation
        ({"country": "CAN"}, "3", "1", "2"),  # F-E01..03; A1 and A6
        ({"country": "MEX,GBR"}, "3", "2", "2"),  # F-E04, 05, 07 (06 cancelled, 08 restricted); A2, A6
        ({"region": "Europe"}, "3", "2", "1"),  # GBR F-E07, DEU F-E11, F-E12; A6 (GBR party)
        ({"component": "TSA"}, "2", "2", "1"),  # F-E02, F-E10; A8
        ({"type": "training"}, "2", "2", "4"),  # F-E02, F-E04; type does not narrow agreements
        ({"status": "in_force"}, "10", "6", "4"),  # status narrows agreements only
        ({"from": "2026-11-30", "to": "2026-11-30"}, "1", "1", "4"),  # F-E12 on the period's only day
        ({"period": "fytd"}, "1", "1", "4"),  # FY2027 from 2026-10-01: F-E12 (F-E08 restricted)
    ],
)
def test_each_filter_changes_the_numbers(app_env, query, engagements, countries, in_force):
    at = run_page(query=query)
    assert not at.exception
    got = (
        metric(at, "Engagements in period").value,
        metric(at, "Partner countries engaged").value,
        metric(at, "Agreements in force").value,
    )
    assert got == (engagements, countries, in_force)


def test_restricted_records_need_a_higher_ceiling(app_env, monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "restricted")
    at = run_page()
    assert metric(at, "Engagements in period").value == "11"  # + F-E08
    assert metric(at, "Agreements in force").value == "5"  # + F-A7
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "public")
    at = run_page()
    assert metric(at, "Engagements in period").value == "2"  # F-E01, F-E09
    assert metric(at, "Agreements in force").value == "1"  # F-A1


def test_sidebar_widgets_change_the_numbers(app_env):
    at = run_page()
    at.multiselect(key="w_mission_areas").select("cargo").run()
    assert metric(at, "Engagements in period").value == "2"
    assert at.query_params["area"] == "cargo"
    at.button(key="prio_CAN").click().run()
    assert metric(at, "Engagements in period").value == "1"  # cargo in Canada: F-E03
    assert at.query_params["country"] == "CAN"
    at.button[[b.label for b in at.button].index("Reset filters")].click().run()
    assert metric(at, "Engagements in period").value == "10"
    assert "area" not in at.query_params


def test_period_preset_and_custom_range(app_env):
    at = run_page()
    at.selectbox(key="w_preset").select("all").run()
    # Every engagement not cancelled or restricted, planned ones included: 18 - F-E06 - F-E08 = 16
    assert metric(at, "Engagements in period").value == "16"
    assert at.query_params["period"] == "all"
    at.date_input(key="w_range").set_value(
        (__import__("datetime").date(2025, 3, 1), __import__("datetime").date(2025, 6, 30))
    ).run()
    assert metric(at, "Engagements in period").value == "2"  # F-E13, F-E14
    assert at.query_params["from"] == "2025-03-01" and at.query_params["to"] == "2025-06-30"


def test_filters_survive_a_page_change(app_env):
    at = run_page(query={"area": "aviation"})
    assert metric(at, "Engagements in period").value == "2"  # F-E02, F-E10
    at.switch_page("pages/1_Activity_Map.py").run()
    assert not at.exception
    assert at.query_params["area"] == "aviation", "the page writes the filters back into its URL"
    at.switch_page("dashboard.py").run()
    assert metric(at, "Engagements in period").value == "2"


@pytest.mark.parametrize(
    "query",
    [
        {"area": "<script>alert(1)</script>"},
        {"country": "XXX,'; DROP TABLE engagements; --"},
        {"from": "2026-13-45", "to": "yesterday"},
        {"from": "2026-06-01", "to": "2026-01-01"},
        {"period": "forever"},
        {"component": "CIA"},
        {"iso": "Narnia"},
        {"status": "maybe", "type": "party"},
    ],
)
def test_bad_url_values_are_ignored_with_a_notice(app_env, query):
    at = run_page(query=query)
    assert not at.exception
    assert metric(at, "Engagements in period").value == "10", "bad values leave the defaults in place"
    notices = " ".join(i.value for i in at.info)
    assert "Ignored" in notices


def test_url_with_good_and_bad_values_keeps_the_good_ones(app_env):
    at = run_page(query={"country": "CAN,Narnia", "area": "visa,nope"})
    assert metric(at, "Engagements in period").value == "1"  # F-E01: visa in Canada
    assert any("Narnia" in i.value for i in at.info)


def test_country_names_in_the_url_resolve(app_env):
    at = run_page(query={"country": "United Kingdom"})
    assert metric(at, "Engagements in period").value == "1"  # F-E07


def test_overview_choropleth_shows_small_states(app_env):
    at = run_page()
    spec = __import__("json").loads(at.get("plotly_chart")[0].proto.spec)
    choropleth, small = spec["data"][0], spec["data"][1]
    assert sorted(choropleth["locations"]) == ["CAN", "DEU", "GBR", "JPN", "MEX", "SGP"]
    assert list(small["customdata"]) == ["SGP"], "Singapore gets a visible marker"
    assert at.get("plotly_chart")[0].proto.config and "topojsonURL" in at.get("plotly_chart")[0].proto.config


def test_map_click_opens_the_country_profile(app_env):
    at = run_page("pages/1_Activity_Map.py")
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("activity_map"))
    traces = __import__("json").loads(chart.proto.spec)["data"]
    assert traces[0]["type"] == "choropleth" and "MEX" in traces[0]["customdata"]
    # A click on Mexico, as plotly reports it for a choropleth.
    at.session_state["activity_map"] = {"selection": {"points": [{"location": "MEX"}]}}
    at.run()
    assert not at.exception
    assert at.session_state["atlas_country"] == "MEX"
    assert at.query_params["iso"] == "MEX"
    assert any("Mexico" in t.value for t in [*at.title, *at.header, *at.subheader])


def test_map_draws_offline_from_local_topojson(app_env):
    at = run_page("pages/1_Activity_Map.py")
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("activity_map"))
    # Boundaries come from static/topojson/ (no CDN); no map tiles at all (a geo subplot, not a tile map).
    assert "topojsonURL" in chart.proto.config and "app/static/topojson/" in chart.proto.config
    spec = __import__("json").loads(chart.proto.spec)
    assert "geo" in spec["layout"] and not any(t["type"].endswith("map") or "box" in t["type"] for t in spec["data"])
    assert len(chart.proto.spec) < 100_000


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_table_header_is_words_not_a_column_name(app_env, page):
    at = run_page(page)
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        for column in frame.value.columns:
            label = (config.get(column) or {}).get("label") or column
            assert "_" not in label and label[:1] == label[:1].upper(), (page, column, label)
