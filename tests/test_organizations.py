"""International organizations: their queries (exact counts), the Organization profile page, the Overview's panel
and the Activity map's headquarters layer (AppTest), on a small database imported here.

Today is pinned to 2025-06-18: the default period is 2024-06-19..2025-06-18 (both ends mid-month, so the whole
months come from the rollup and the edges from raw rows), the previous one 2023-06-20..2024-06-18.
Engagements (internal unless said):
- M1 2025-03-10 CAN;MEX with EU;INTERPOL, law enforcement, 20 people
- M2 2025-06-02 FRA with EU, visa, 6 (June 2025: the month to date)
- M3 2024-11-05 BEL with EU, visa, 10, public
- M4 2025-01-20 EU only (no country), immigration, 4: with an organization, not multilateral
- M5 2025-02-14 CAN with ICAO, cancelled: never counted
- M6 2025-04-01 GBR with EU, counter-terrorism, 3, RESTRICTED: only a restricted viewer counts it
- M7 2024-03-01 FRA with EU, visa: the previous period
- M8 2025-09-15 CAN with EU;G7, planned: upcoming, after the period
- M9 2025-05-05 MEX, no organization
- M10 2025-04-22 CAN with ICAO, aviation, 8, DEMO
- M11 2025-05-20 G7 only (a forum without a seat)
So for an internal viewer: EU 4 (M1-M4; 3 of them with other partners: 75%), partner countries CAN, MEX, FRA, BEL
(1 each), 40 participants, previous period 1 (M7); INTERPOL 1, ICAO 1 (demo), G7 1. A restricted viewer: EU 5
(M6 adds GBR). A public viewer: EU 1 (M3).
Agreements: P1 EU-US PNR (EU only, in force), P2 restricted (EU and FRA, in force), P3 France only, P4 EU and BEL in
negotiation: EU names P1, P4 (in force 1) for an internal viewer, P1, P2, P4 (in force 2) for a restricted one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil

import pandas as pd
import pytest

from apptest_support import metric, run_page
from atlas.app.widgets import clicked_country, clicked_organization
from atlas.data import build, db, ingest
from atlas.data.filters import default_filters
from atlas.views import organizations
from support import agreement, engagement, write_csv

TODAY = dt.date(2025, 6, 18)
PAGE = "pages/10_Organization_Profile.py"
MAP = "pages/1_Activity_Map.py"
TILES = ("Engagements in period", "Multilateral share", "Partner countries", "Participants", "Agreements in force")
ENGAGEMENTS = [
    engagement("M1", country="CAN;MEX", organizations="EU;INTERPOL", start_date="2025-03-10", end_date="",
               mission_area="law_enforcement", participants="20", title="EU-INTERPOL-North America meeting"),
    engagement("M2", country="FRA", organizations="European Union", start_date="2025-06-02", end_date="",
               participants="6", title="EU visa dialogue in Paris"),
    engagement("M3", country="BEL", organizations="EU", start_date="2024-11-05", end_date="", city="Brussels",
               latitude="50.85", longitude="4.35", participants="10", sensitivity="public", title="Brussels visa talks"),
    engagement("M4", country="", organizations="EU", start_date="2025-01-20", end_date="", city="", latitude="",
               longitude="", mission_area="immigration", participants="4", title="EU migration dialogue"),
    engagement("M5", country="CAN", organizations="ICAO", start_date="2025-02-14", end_date="", status="cancelled",
               mission_area="aviation", title="Cancelled ICAO panel"),
    engagement("M6", country="GBR", organizations="EU", start_date="2025-04-01", end_date="", participants="3",
               mission_area="counterterrorism", sensitivity="restricted", title="Restricted EU consultation"),
    engagement("M7", country="FRA", organizations="EU", start_date="2024-03-01", end_date="", title="Old EU talks"),
    engagement("M8", country="CAN", organizations="EU;G7", start_date="2025-09-15", end_date="", status="planned",
               mission_area="law_enforcement", title="G7 interior ministers"),
    engagement("M9", country="MEX", start_date="2025-05-05", end_date="", title="Bilateral Mexico meeting"),
    engagement("M10", country="CAN", organizations="ICAO", start_date="2025-04-22", end_date="",
               mission_area="aviation", participants="8", demo="true", title="Demo ICAO assembly"),
    engagement("M11", country="", organizations="G7", start_date="2025-05-20", end_date="", city="", latitude="",
               longitude="", participants="2", title="G7 roma-lyon group"),
]  # fmt: skip
AGREEMENTS = [
    agreement("P1", countries="", organizations="EU", title="EU-US PNR Agreement", date_expires=""),
    agreement("P2", countries="FRA", organizations="EU", sensitivity="restricted", title="Restricted EU arrangement"),
    agreement("P3", countries="FRA", title="France visa MOU"),
    agreement("P4", countries="BEL", organizations="EU", status="negotiation", date_signed="", date_in_force="",
              date_expires="", title="EU visa arrangement"),
]  # fmt: skip


@pytest.fixture(scope="module")
def org_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("organizations")
    path = folder / "atlas.duckdb"
    build.build(path, with_demo=False)
    for table, rows in (("engagements", ENGAGEMENTS), ("agreements", AGREEMENTS)):
        result = ingest.import_file(write_csv(folder / f"{table}.csv", rows), table, path, today=TODAY)
        assert result.outcome == "success", ingest.problems_text(result)
    return path


@pytest.fixture(scope="module")
def database(org_db):
    database = db.Database.open(org_db)
    yield database
    database.close()


@pytest.fixture
def org_env(org_db, monkeypatch, tmp_path):
    path = shutil.copy(org_db, tmp_path / "atlas.duckdb")  # a briefing mark or snapshot stays in this test
    monkeypatch.setenv("ATLAS_DB", str(path))
    monkeypatch.setenv("ATLAS_TODAY", TODAY.isoformat())
    monkeypatch.delenv("ATLAS_MAX_SENSITIVITY", raising=False)
    return path


def params(rank: int = 1, **changes) -> dict:
    f = dataclasses.replace(default_filters(TODAY, max_rank=rank), **changes)
    return f.params() | {"org": "EU", "limit": 25, "horizon": TODAY + dt.timedelta(days=365), "search": ""}


# --- queries ---------------------------------------------------------------------------------------------


def test_organizations_active_count_each_engagement_once_per_organization(database):
    frame = database.query("organizations_active", params())
    got = [
        (r.code, r.engagements, r.multilateral, round(r.multilateral_share, 2), str(r.latest)[:10], r.demo)
        for r in frame.itertuples()
    ]
    assert got == [
        ("EU", 4, 3, 0.75, "2025-06-02", 0),
        ("G7", 1, 0, 0.0, "2025-05-20", 0),
        ("ICAO", 1, 1, 1.0, "2025-04-22", 1),  # M5 is cancelled
        ("INTERPOL", 1, 1, 1.0, "2025-03-10", 0),
    ]
    eu = frame.set_index("code").loc["EU"]
    assert (eu.hq_city, eu.hq_country, eu.hq_lat, eu.hq_lon, eu.participants) == (
        "Brussels",
        "Belgium",
        50.84,
        4.38,
        40,
    )
    assert frame.set_index("code").loc["G7"].hq_lat != frame.set_index("code").loc["G7"].hq_lat  # no seat: NaN


@pytest.mark.parametrize(
    ("rank", "eu", "share"),
    [(0, 1, 1.0), (1, 4, 0.75), (2, 5, 0.8)],  # public: M3; restricted: M6 too
)
def test_the_ceiling_applies_to_organizations(database, rank, eu, share):
    frame = database.query("organizations_active", params(rank)).set_index("code")
    assert (frame.loc["EU"].engagements, round(frame.loc["EU"].multilateral_share, 2)) == (eu, share)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"countries": ("MEX",)}, {"EU": 1, "INTERPOL": 1}),  # M1
        ({"countries": ("CAN",)}, {"EU": 1, "ICAO": 1, "INTERPOL": 1}),  # M1, M10
        ({"mission_areas": ("visa",)}, {"EU": 2, "G7": 1}),  # M2, M3; M11
        ({"partnerships": ("bilateral",)}, {}),
        ({"partnerships": ("multilateral",)}, {"EU": 3, "ICAO": 1, "INTERPOL": 1}),
        ({"start": dt.date(2025, 3, 1), "end": dt.date(2025, 3, 31), "preset": "custom"}, {"EU": 1, "INTERPOL": 1}),
    ],
)
def test_organizations_follow_the_filters(database, changes, expected):
    frame = database.query("organizations_active", params(**changes))
    assert dict(zip(frame.code, frame.engagements)) == expected


def test_organization_profile_numbers(database):
    row = database.query("organization_profile", params()).iloc[0]
    assert (row.code, row["name"], row.kind, row.hq_city, row.hq_country) == (
        "EU",
        "European Union",
        "supranational union",
        "Brussels",
        "Belgium",
    )
    assert (row.engagements, row.prev_engagements, row.participants, row.multilateral, row.planned) == (4, 1, 40, 3, 0)
    assert (row.in_force, row.negotiation, row.agreements, row.demo_engagements, row.demo_agreements) == (1, 1, 2, 0, 0)
    assert row.member_count == 27 and row.members.startswith("Austria, Belgium, Bulgaria")
    assert row.source_url.startswith("https://") and row.source_as_of
    restricted = database.query("organization_profile", params(2)).iloc[0]
    assert (restricted.engagements, restricted.in_force, restricted.agreements) == (5, 2, 3)
    icao = database.query("organization_profile", params() | {"org": "ICAO"}).iloc[0]
    assert (icao.engagements, icao.demo_engagements) == (1, 1)
    assert pd.isna(icao.member_count) and pd.isna(icao.members)  # 193 members: not listed in the reference


def test_organization_monthly_activity_and_its_partial_month(database):
    frame = database.query("organization_monthly_activity", params())
    got = [(str(r.month)[:7], r.mission_area, r.engagements) for r in frame.itertuples()]
    assert got == [
        ("2024-11", "visa", 1),
        ("2025-01", "immigration", 1),
        ("2025-03", "law_enforcement", 1),
        ("2025-06", "visa", 1),
    ]
    totals = organizations.area_totals(frame)
    assert list(zip(totals.mission_area, totals.engagements, totals.share)) == [
        ("visa", 2, 0.5),
        ("immigration", 1, 0.25),
        ("law_enforcement", 1, 0.25),
    ]


@pytest.mark.parametrize(
    ("rank", "changes", "expected"),
    [
        (1, {}, {"BEL": 1, "CAN": 1, "FRA": 1, "MEX": 1}),
        (2, {}, {"BEL": 1, "CAN": 1, "FRA": 1, "GBR": 1, "MEX": 1}),
        (1, {"countries": ("MEX", "FRA")}, {"FRA": 1, "MEX": 1}),  # the country filter keeps the countries asked for
    ],
)
def test_partner_countries_of_an_organization(database, rank, changes, expected):
    frame = database.query("organization_countries", params(rank, **changes))
    assert dict(zip(frame.iso3, frame.engagements)) == expected


def test_organization_engagements_recent_upcoming_and_agreements(database):
    recent = database.query("organization_engagements", params())
    assert list(recent.engagement_id) == ["M2", "M1", "M4", "M3"]
    assert recent.set_index("engagement_id").loc["M1", "country"] == "Canada; Mexico"
    assert recent.set_index("engagement_id").loc["M1", "organizations"] == (
        "European Union; International Criminal Police Organization"
    )
    # The raw rows read start at the month from which $limit engagements start: the newest two are the same.
    assert list(database.query("organization_engagements", params() | {"limit": 2}).engagement_id) == ["M2", "M1"]
    assert "M6" in set(database.query("organization_engagements", params(2)).engagement_id)
    upcoming = database.query("organization_upcoming", params())
    assert list(upcoming.engagement_id) == ["M8"] and list(upcoming.total) == [1]
    assert sorted(database.query("organization_agreements", params()).agreement_id) == ["P1", "P4"]
    assert sorted(database.query("organization_agreements", params(2)).agreement_id) == ["P1", "P2", "P4"]


# --- the views ----------------------------------------------------------------------------------------


def test_clicks_on_organizations_and_countries_are_told_apart():
    org = {"selection": {"points": [{"customdata": "org:EU"}]}}
    country = {"selection": {"points": [{"customdata": "CAN"}]}}
    assert (clicked_organization(org), clicked_country(org)) == ("EU", None)
    assert (clicked_organization(country), clicked_country(country)) == (None, "CAN")
    assert clicked_organization(None) is None and organizations.code_of("org:") is None


def _active(**columns) -> pd.DataFrame:
    base = {
        "code": ["EU", "WCO", "OAS", "G7"],
        "name": ["European Union", "World Customs Organization", "Organization of American States", "Group of Seven"],
        "kind": ["supranational union", "intergovernmental organization", "regional organization", "forum"],
        "hq_city": ["Brussels", "Brussels", "Washington", None],
        "hq_country": ["Belgium", "Belgium", "United States", None],
        "hq_lat": [50.84, 50.85, 38.89, None],
        "hq_lon": [4.38, 4.40, -77.04, None],
        "engagements": [9, 3, 2, 5],
        "multilateral_share": [0.5, 1.0, 0.0, 0.2],
    }
    return pd.DataFrame(base | columns)


def test_headquarters_markers_arcs_and_tooltips():
    traces = organizations.map_traces(_active())
    arcs, marker = traces[:-1], traces[-1]
    # The OAS sits in Washington: no arc; the G7 has no seat: neither arc nor marker.
    assert [t["name"] for t in arcs] == ["arc org:EU", "arc org:WCO"]
    assert all(t["line"]["dash"] == "dash" and t["hoverinfo"] == "skip" for t in arcs)
    assert marker["name"] == organizations.MARKER_TRACE and marker["marker"]["symbol"] == "diamond"
    assert marker["customdata"] == ["org:EU", "org:WCO", "org:OAS"]
    # EU and WCO share Brussels: drawn apart along the parallel, around the seat.
    eu, wco = marker["lon"][:2]
    assert wco - eu == pytest.approx(organizations.SPREAD_DEGREES) and (eu + wco) / 2 == pytest.approx(4.39)
    assert marker["hovertext"][0] == (
        "<b>European Union</b><br>supranational union<br>headquarters: Brussels, Belgium<br>9 engagements in the "
        "period<br>50% with other partners too<br>click to open the organization's profile"
    )


def test_organization_text_is_escaped_once():
    hostile = '<img src=x onerror=alert(1)> & "Co"'
    marker = organizations.map_traces(_active(name=[hostile, "b", "c", "d"], kind=["<i>k</i>", "k", "k", "k"]))[-1]
    assert marker["hovertext"][0].startswith('<b>&lt;img src=x onerror=alert(1)&gt; &amp; "Co"</b><br>&lt;i&gt;k')
    bars = organizations.ranking(_active(name=['<b>x</b> & "Co"', "b", "c", "d"])).data[0]
    assert bars.y[-1] == '&lt;b&gt;x&lt;/b&gt; &amp; "Co"'  # the busiest on top, escaped once


# --- the Organization profile page ------------------------------------------------------------------------


def _unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def tiles(at) -> dict[str, str]:
    return {label: metric(at, label).value for label in TILES}


def chart(at, key: str) -> dict:
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, f"no single chart {key!r}"
    return json.loads(found[0].proto.spec)


def shown_text(at) -> str:
    parts = [str(e.value) for k in ("markdown", "caption", "title", "info", "warning") for e in getattr(at, k)]
    parts += [df.value.to_csv() for df in at.dataframe] + [c.proto.spec for c in at.get("plotly_chart")]
    return "\n".join(parts)


def test_the_profile_of_the_eu_from_the_link(org_env):
    at = run_page(PAGE, {"org": "EU"})
    assert not at.exception, at.exception
    assert at.title[0].value == "European Union"
    assert any("Organization profile · supranational union · Brussels, Belgium" in c.value for c in at.caption)
    assert tiles(at) == {
        "Engagements in period": "4",
        "Multilateral share": "75%",
        "Partner countries": "4",
        "Participants": "40",
        "Agreements in force": "1",
    }
    assert metric(at, "Engagements in period").delta == "+3 (+300%)"
    assert at.selectbox(key="organization_pick").value == "EU"
    assert at.query_params["org"] == "EU"
    assert not [w for w in at.warning if "DEMO DATA" in w.value]
    # The trend: June 2025 is the month to date, hatched and named under the plot.
    spec = chart(at, "org_mix")
    visa = next(t for t in spec["data"] if t["name"] == "Visa Security")
    assert visa["marker"]["pattern"]["shape"] == ["", "/"]
    assert any("month to date, through 18 Jun" in a["text"] for a in spec["layout"]["annotations"])
    areas = chart(at, "org_areas")["data"][0]
    assert dict(zip(areas["y"], areas["text"])) == {
        "Visa Security": "50%",
        "Immigration Policy": "25%",
        "Law Enforcement": "25%",
    }
    countries = chart(at, "org_countries")["data"][0]
    assert sorted(countries["customdata"]) == ["BEL", "CAN", "FRA", "MEX"]
    upcoming, recent = [d.value for d in at.dataframe if "start_date" in d.value.columns]  # in page order
    assert list(upcoming["title"]) == ["G7 interior ministers"]
    assert list(recent["title"]) == [
        "EU visa dialogue in Paris",
        "EU-INTERPOL-North America meeting",
        "EU migration dialogue",
        "Brussels visa talks",
    ]
    assert list(recent["organizations"])[1] == "European Union; International Criminal Police Organization"
    agreements = next(d.value for d in at.dataframe if "partners" in d.value.columns)
    assert sorted(agreements["title"]) == ["EU visa arrangement", "EU-US PNR Agreement"]
    facts = " ".join(m.value for m in at.markdown)
    assert "**Members:** 27 — Austria, Belgium" in facts and "**Source as of:**" in facts
    assert any("Reference facts" in c.value and "not records of activity" in c.value for c in at.caption)
    assert [b.proto.url for b in at.get("link_button")][0].startswith("https://european-union.europa.eu")


def test_without_a_choice_the_busiest_organization_is_shown_and_said(org_env):
    at = run_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "European Union"
    assert any("No organization chosen" in i.value and "European Union" in i.value for i in at.info)
    assert "org" not in at.query_params, "a default is not a choice: the link does not pin it"
    at = run_page(PAGE, {"area": "aviation"})  # only ICAO (M10) in aviation
    assert at.title[0].value == "International Civil Aviation Organization"


@pytest.mark.parametrize("text", ["interpol", "International Criminal Police Organization", "ICPO"])
def test_the_link_takes_a_code_name_or_alias(org_env, text):
    at = run_page(PAGE, {"org": text})
    assert at.title[0].value == "International Criminal Police Organization"
    assert at.query_params["org"] == "INTERPOL"
    assert tiles(at)["Engagements in period"] == "1" and tiles(at)["Partner countries"] == "2"


def test_an_unknown_organization_in_the_link_is_ignored_with_a_notice(org_env):
    at = run_page(PAGE, {"org": "Narnia League"})
    assert not at.exception
    notices = _unescaped(" ".join(i.value for i in at.info))
    assert "Ignored unknown organization in the link: Narnia League" in notices
    assert at.title[0].value == "European Union", "falls back to the busiest"


def test_picking_an_organization_selects_it_and_puts_it_in_the_link(org_env):
    at = run_page(PAGE)
    at.selectbox(key="organization_pick").set_value("G7").run()
    assert not at.exception
    assert at.title[0].value == "Group of Seven"
    assert at.query_params["org"] == "G7" and at.session_state["atlas_org"] == "G7"
    assert any("Organization profile · forum · no permanent seat" in c.value for c in at.caption)
    assert tiles(at)["Multilateral share"] == "0%" and tiles(at)["Partner countries"] == "0"
    # The choice rides along to another page's link, as the country does.
    at.switch_page("pages/4_Agreements.py").run()
    assert at.query_params["org"] == "G7"


@pytest.mark.parametrize(
    ("level", "engagements", "in_force", "shows_restricted"),
    [("public", "1", "0", False), ("internal", "4", "1", False), ("restricted", "5", "2", True)],
)
def test_the_ceiling_on_the_profile(org_env, monkeypatch, level, engagements, in_force, shows_restricted):
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", level)
    at = run_page(PAGE, {"org": "EU"})
    assert not at.exception
    assert tiles(at)["Engagements in period"] == engagements and tiles(at)["Agreements in force"] == in_force
    text = shown_text(at)
    for restricted in ("Restricted EU consultation", "Restricted EU arrangement", "United Kingdom"):
        assert (restricted in text) is shows_restricted, restricted


def test_demo_records_are_labelled_with_what_the_profile_shows(org_env):
    at = run_page(PAGE, {"org": "ICAO"})
    labels = [w.value for w in at.warning if "DEMO DATA" in w.value]
    assert len(labels) == 1 and "— 1 engagement(s) shown here" in labels[0]
    assert tiles(at)["Engagements in period"] == "1"  # M10; M5 is cancelled


def test_a_partner_country_bar_opens_its_profile(org_env):
    at = run_page(PAGE, {"org": "EU"})
    at.session_state["org_countries"] = {"selection": {"points": [{"y": "Mexico", "customdata": "MEX"}]}}
    at.run()
    assert not at.exception
    assert at.session_state["atlas_country"] == "MEX" and at.title[0].value == "Mexico"


# --- the Overview panel and the Activity map ----------------------------------------------------------------


def test_the_overview_lists_organizations_and_a_bar_opens_the_profile(org_env):
    at = run_page()
    assert not at.exception
    bars = chart(at, "top_organizations")["data"][0]
    assert dict(zip(bars["customdata"], bars["x"])) == {"org:EU": 4, "org:G7": 1, "org:ICAO": 1, "org:INTERPOL": 1}
    assert bars["y"][-1] == "European Union"  # the busiest on top; long names by their code
    assert set(bars["y"]) == {"European Union", "Group of Seven", "ICAO", "INTERPOL"}
    assert any(c.value == organizations.COUNTING_NOTE for c in at.caption)
    at.session_state["top_organizations"] = {"selection": {"points": [{"customdata": "org:INTERPOL"}]}}
    at.run()
    assert not at.exception
    assert at.session_state["atlas_org"] == "INTERPOL"
    assert at.title[0].value == "International Criminal Police Organization"


def test_the_overview_says_when_no_organization_is_named(app_env):
    at = run_page()
    assert any("No engagements with international organizations" in i.value for i in at.info)


def _map_traces(at) -> dict[str, dict]:
    return {t["name"]: t for t in chart(at, "activity_map")["data"]}


def test_the_map_draws_headquarters_and_arcs_and_a_click_opens_the_profile(org_env):
    at = run_page(MAP)
    assert organizations.MARKER_TRACE not in _map_traces(at), "the layer is off until chosen"
    at.pills(key="map_layers").set_value(["Arcs from Washington", "Organizations"]).run()
    assert not at.exception
    traces = _map_traces(at)
    marker = traces[organizations.MARKER_TRACE]
    assert marker["customdata"] == ["org:EU", "org:ICAO", "org:INTERPOL"]  # the G7 has no seat
    assert {"arc org:EU", "arc org:ICAO", "arc org:INTERPOL"} <= set(traces)
    assert marker["hovertext"][1].startswith("<b>International Civil Aviation Organization</b><br>UN specialized")
    legend = " ".join(h.proto.body for h in at.get("html"))
    assert "headquarters (click to open its profile)" in legend and "arcs from Washington to their" in legend
    assert any(
        "Forums without a permanent seat have no marker: Group of Seven (1)." in _unescaped(c.value) for c in at.caption
    )
    at.session_state["activity_map"] = {"selection": {"points": [{"customdata": "org:ICAO"}]}}
    at.run()
    assert not at.exception
    assert at.session_state["atlas_org"] == "ICAO" and at.query_params["org"] == "ICAO"
    assert at.title[0].value == "International Civil Aviation Organization"
