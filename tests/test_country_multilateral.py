"""A country's multilateral engagements (the Country profile's list) and Compare with organizations, on a small
database of its own, imported through the real import path. Today is pinned to 2026-11-30, so the default period is
2025-12-01..2026-11-30 and the viewer's ceiling is "internal" unless a test raises or lowers it.

The records (status completed unless said; sensitivity internal unless said):
- T1 CAN;MEX;USA, 2026-03-10, border, meeting, 30 people, public: the North American trilateral.
- T2 GBR;CAN;AUS;NZL with the Five Country Ministerial (FCM), 2026-06-20, law enforcement, conference, 40.
- T3 CAN with ICAO, 2026-09-01, aviation, planned, 8.
- T4 CAN;MEX, 2026-05-05, cargo, training, cancelled.
- O1 EU and INTERPOL only (no country), 2026-04-01, law enforcement, 12.
- B1 CAN alone (bilateral), 2026-02-02, visa, 5.
- R1 CAN;GBR, 2026-07-07, counter-terrorism, restricted: above an internal viewer's ceiling.
- P1 CAN;MEX, 2024-01-01: before the period (and the previous period).
- M1 MEX;USA with IOM, 2026-08-08, immigration, 6.
Agreements: A1 the EU-US PNR agreement (EU only, in force), A2 with CAN (in force, 2020-2030).

So for Canada (internal): multilateral T3, T2, T4, T1 (newest first) = 4, one cancelled; restricted + R1 = 5; public
T1 = 1. Canada's figures: B1, T1, T2, T3 = 4 engagements (T4 cancelled), 83 participants. In the Americas: Canada 4,
Mexico 2 (T1, M1), United States 2 (T1, M1), but the region's engagements are B1, T1, T2, T3, M1 = 5 (T1 once).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from apptest_support import TODAY, run_page
from atlas.data import build, db, ingest, marks, vocab
from atlas.data.filters import Filters
from support import agreement, engagement, write_csv

COUNTRY_PAGE = "pages/2_Country_Profile.py"
COMPARE_PAGE = "pages/9_Compare.py"
PLACE = {"city": "", "latitude": "", "longitude": ""}
ROWS = [
    engagement("T1", title="North American Leaders' security dialogue", country="CAN;MEX;USA",
               start_date="2026-03-10", end_date="", mission_area="border", engagement_type="meeting",
               participants="30", sensitivity="public", **PLACE),
    engagement("T2", title="Five Country Ministerial", country="GBR;CAN;AUS;NZL", organizations="FCM",
               start_date="2026-06-20", end_date="", mission_area="law_enforcement", engagement_type="conference",
               participants="40", **PLACE),
    engagement("T3", title="ICAO aviation security panel", country="CAN", organizations="ICAO", start_date="2026-09-01",
               end_date="", mission_area="aviation", status="planned", participants="8", **PLACE),
    engagement("T4", title="Cancelled trilateral workshop", country="CAN;MEX", start_date="2026-05-05", end_date="",
               mission_area="cargo", engagement_type="training", status="cancelled", participants="3", **PLACE),
    engagement("O1", title="EU-INTERPOL data exchange dialogue", country="", organizations="EU;INTERPOL",
               start_date="2026-04-01", end_date="", mission_area="law_enforcement",
               engagement_type="information_exchange", participants="12", **PLACE),
    engagement("B1", title="Bilateral visa talks", country="CAN", start_date="2026-02-02", end_date="",
               participants="5", **PLACE),
    engagement("R1", title="Restricted joint consultation", country="CAN;GBR", start_date="2026-07-07", end_date="",
               mission_area="counterterrorism", participants="2", sensitivity="restricted", **PLACE),
    engagement("P1", title="Old trilateral", country="CAN;MEX", start_date="2024-01-01", end_date="", **PLACE),
    engagement("M1", title="Border dialogue with IOM", country="MEX;USA", organizations="IOM", start_date="2026-08-08",
               end_date="", mission_area="immigration", participants="6", **PLACE),
]  # fmt: skip
AGREEMENTS = [
    agreement("A1", title="EU-US PNR agreement", countries="", organizations="EU", date_signed="2011-12-14",
              date_in_force="2012-07-01", date_expires=""),
    agreement("A2", title="Visa information sharing with Canada", countries="CAN"),
]  # fmt: skip
CANADA = [  # (title, other partner countries, organizations, status), newest first
    ("ICAO aviation security panel", None, "International Civil Aviation Organization", "planned"),
    ("Five Country Ministerial", "United Kingdom; Australia; New Zealand", "Five Country Ministerial", "completed"),
    ("Cancelled trilateral workshop", "Mexico", None, "cancelled"),
    ("North American Leaders' security dialogue", "Mexico; United States", None, "completed"),
]


@pytest.fixture(scope="module")
def partnered_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("partnered")
    path = folder / "atlas.duckdb"
    build.build(path, with_demo=False)
    for table, rows in (("engagements", ROWS), ("agreements", AGREEMENTS)):
        result = ingest.import_file(write_csv(folder / f"{table}.csv", rows), table, path, today=TODAY)
        assert result.outcome == "success", ingest.problems_text(result)
    return path


@pytest.fixture(scope="module")
def database(partnered_db):
    opened = db.Database.open(partnered_db)
    yield opened
    opened.close()


@pytest.fixture
def partnered_env(partnered_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(partnered_db))
    monkeypatch.setenv("ATLAS_TODAY", TODAY.isoformat())
    monkeypatch.delenv("ATLAS_MAX_SENSITIVITY", raising=False)
    marks.mark_path(partnered_db).unlink(missing_ok=True)
    yield partnered_db
    marks.mark_path(partnered_db).unlink(missing_ok=True)


def listed(database, iso3: str, *, max_rank: int = 1, limit: int = 1000, **filters):
    base = Filters(start=dt.date(2025, 12, 1), end=TODAY, today=TODAY, max_rank=max_rank, **filters)
    return database.query("country_multilateral_engagements", base.params() | {"iso3": iso3, "limit": limit})


def rows(frame) -> list[tuple]:
    def value(v):
        return None if v is None or v != v else v

    return [
        (r.title, value(r.other_countries), value(r.organizations), r.status)
        for r in frame[["title", "other_countries", "organizations", "status"]].itertuples()
    ]


# --- the query -------------------------------------------------------------------------------------------------


def test_canada_lists_its_multilateral_engagements_with_the_other_partners_named(database):
    found = listed(database, "CAN")
    assert rows(found) == CANADA
    assert (int(found.total.iloc[0]), int(found.cancelled.iloc[0])) == (4, 1)
    assert "EU-INTERPOL data exchange dialogue" not in set(found.title), "organizations only: no partner country"
    assert "Restricted joint consultation" not in set(found.title), "above the viewer's ceiling"


@pytest.mark.parametrize(
    ("iso3", "expected"),
    [
        (
            "MEX",
            [
                ("Border dialogue with IOM", "United States", "International Organization for Migration", "completed"),
                ("Cancelled trilateral workshop", "Canada", None, "cancelled"),
                ("North American Leaders' security dialogue", "Canada; United States", None, "completed"),
            ],
        ),
        (
            "GBR",
            [("Five Country Ministerial", "Australia; Canada; New Zealand", "Five Country Ministerial", "completed")],
        ),
        ("FRA", []),
    ],
)
def test_each_partner_country_lists_the_engagement_naming_the_others(database, iso3, expected):
    """The first listed first among the others (T1 lists CAN first), then by code."""
    assert rows(listed(database, iso3)) == expected


@pytest.mark.parametrize(
    ("max_rank", "titles"),
    [
        (0, ["North American Leaders' security dialogue"]),
        (1, [t for t, *_ in CANADA]),
        (2, [t for t, *_ in CANADA[:1]] + ["Restricted joint consultation"] + [t for t, *_ in CANADA[1:]]),
    ],
)
def test_the_sensitivity_ceiling(database, max_rank, titles):
    found = listed(database, "CAN", max_rank=max_rank)
    assert list(found.title) == titles
    assert int(found.total.iloc[0]) == len(titles)


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({"partnerships": ("bilateral",)}, []),
        ({"partnerships": ("multilateral",)}, [t for t, *_ in CANADA]),
        ({"partnerships": ("organization",)}, ["ICAO aviation security panel", "Five Country Ministerial"]),
        ({"partnerships": ("bilateral", "organization")}, ["ICAO aviation security panel", "Five Country Ministerial"]),
        ({"mission_areas": ("border", "cargo")}, ["Cancelled trilateral workshop", CANADA[3][0]]),
        ({"engagement_types": ("conference",)}, ["Five Country Ministerial"]),
        ({"countries": ("FRA",)}, [t for t, *_ in CANADA]),  # the country asked for ($iso3) replaces the filter's
    ],
)
def test_the_filters_and_the_partnership_filter_apply(database, filters, titles):
    assert list(listed(database, "CAN", **filters).title) == titles


def test_the_limit_lists_the_newest_and_the_total_counts_all(database):
    found = listed(database, "CAN", limit=2)
    assert list(found.title) == [t for t, *_ in CANADA[:2]]
    assert (int(found.total.iloc[0]), int(found.cancelled.iloc[0])) == (4, 1)


def test_the_countrys_figures_count_each_once_for_it(database):
    """Canada's profile: B1 and the multilateral T1, T2, T3 once each (T4 cancelled); the region counts T1 once."""
    base = Filters(start=dt.date(2025, 12, 1), end=TODAY, today=TODAY).params()
    profile = database.query("country_profile", base | {"iso3": "CAN"}).iloc[0]
    assert (int(profile.engagements), int(profile.participants)) == (4, 83)
    region = database.query("region_comparison", base | {"iso3": "CAN"})
    assert dict(zip(region.iso3, region.engagements)) == {"CAN": 4, "MEX": 2, "USA": 2}
    assert set(region.region_engagements) == {5}


# --- the Country profile -------------------------------------------------------------------------------------------


def multilateral_table(at):
    [found] = [d.value for d in at.dataframe if "other_countries" in d.value.columns]
    return found


def test_the_profile_lists_them_counts_them_and_says_how_they_count(partnered_env, captured_downloads):
    at = run_page(COUNTRY_PAGE, {"iso": "CAN"})
    assert not at.exception
    assert "Multilateral engagements" in [s.value for s in at.subheader]
    table = multilateral_table(at)
    assert list(table.title) == [t for t, *_ in CANADA]
    assert list(table.status) == ["Planned", "Completed", "Cancelled", "Completed"]
    assert list(table.mission_area) == [
        "Aviation Security",
        "Law Enforcement",
        "Cargo Security",
        "Border Security and Training",
    ]
    assert any(
        m.value.startswith("**4 engagement(s)** with Canada and at least one other partner")
        and "1 of them cancelled" in m.value
        for m in at.markdown
    )
    said = " ".join(c.value.replace("\\", "") for c in at.caption)
    assert "Canada's figures on this page count each of these once, for Canada" in said
    assert vocab.counting_note("per_country", "engagement or agreement") in said
    data = captured_downloads["multilateral_engagements_CAN.csv"]()
    exported = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["title"] for r in exported] == [t for t, *_ in CANADA]
    assert exported[1]["other_countries"] == "United Kingdom; Australia; New Zealand"
    assert {"csv_country_multilateral", "xlsx_country_multilateral"} <= {b.key for b in at.get("download_button")}


def test_the_profile_respects_the_ceiling_and_the_partnership_filter(partnered_env, monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "restricted")
    assert "Restricted joint consultation" in list(multilateral_table(run_page(COUNTRY_PAGE, {"iso": "CAN"})).title)
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "public")
    assert list(multilateral_table(run_page(COUNTRY_PAGE, {"iso": "CAN"})).title) == [CANADA[3][0]]
    monkeypatch.delenv("ATLAS_MAX_SENSITIVITY")
    at = run_page(COUNTRY_PAGE, {"iso": "CAN", "partnership": "bilateral"})
    assert not at.exception
    assert not [d for d in at.dataframe if "other_countries" in d.value.columns]
    assert any("No engagements with Canada and other partners" in i.value for i in at.info)


def test_the_region_share_counts_an_engagement_with_several_of_its_countries_once(partnered_env):
    at = run_page(COUNTRY_PAGE, {"iso": "CAN"})
    [share] = [m for m in at.metric if m.label == "Share of the region's engagements"]
    assert share.value == "80%"  # 4 of 5, not 4 of the 8 the three countries' figures add up to
    assert "4 of 5 engagements with Americas" in share.help


# --- Compare with organizations ------------------------------------------------------------------------------------


def headline(at):
    [found] = [d.value for d in at.dataframe if "measure" in d.value.columns]
    return found


def chart(at, key: str) -> dict:
    [found] = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    return json.loads(found.proto.spec)


def test_compare_a_country_with_organizations(partnered_env):
    at = run_page(COMPARE_PAGE, {"compare": "canada,fcm,European Union"})
    assert not at.exception
    assert at.query_params["compare"] == "CAN,FCM,EU", "names resolve; the link keeps the codes"
    assert at.multiselect(key="w_compare").value == ["CAN", "FCM", "EU"]
    table = headline(at)
    assert list(table.columns) == ["measure", "Canada", "Five Country Ministerial", "European Union"]
    assert list(table["Canada"]) == ["4", "+4 (new)", "83", "1", "0", "4"]
    assert list(table["Five Country Ministerial"]) == ["1", "+1 (new)", "40", "0", "0", "not applicable"]
    assert list(table["European Union"]) == ["1", "+1 (new)", "12", "1", "0", "not applicable"]
    trend = {t["name"]: sum(t["y"]) for t in chart(at, "compare_trend")["data"]}
    assert trend == {"Canada": 4, "Five Country Ministerial": 1, "European Union": 1}
    mix = {t["name"]: {c: n for c, n in zip(t["y"], t["x"]) if n} for t in chart(at, "compare_mix")["data"]}
    assert mix["Law Enforcement"] == {"Canada": 1, "Five Country Ministerial": 1, "European Union": 1}
    agreements = {t["name"]: dict(zip(t["x"], t["y"])) for t in chart(at, "compare_agreements")["data"]}
    assert agreements == {"In force": {"Canada": 1, "Five Country Ministerial": 0, "European Union": 1}}
    [programmes] = [d.value for d in at.dataframe if "programme" in d.value.columns]
    assert set(programmes["European Union"]) == {"not applicable"}
    said = " ".join(c.value.replace("\\", "") for c in at.caption)
    assert vocab.counting_note("per_partner", "engagement or agreement") in said
    menu = {"Country profile", "Organization profile"}  # the sidebar's navigation
    links = [
        (p.label, p.proto.page) for p in at.get("page_link") if p.label.endswith(" profile") and p.label not in menu
    ]
    assert [label for label, _ in links] == [
        "Canada profile",
        "Five Country Ministerial profile",
        "European Union profile",
    ]
    assert [page for _, page in links] == ["Country_Profile", "Organization_Profile", "Organization_Profile"]


def test_compare_organizations_in_the_url_round_trip(partnered_env):
    at = run_page(COMPARE_PAGE, {"compare": "INTERPOL,EU,XXX"})
    assert not at.exception
    assert at.query_params["compare"] == "INTERPOL,EU"
    assert any("Ignored in the link: XXX" in i.value.replace("\\", "") for i in at.info)
    assert list(headline(at).columns) == ["measure", "International Criminal Police Organization", "European Union"]
    assert not [d for d in at.dataframe if "programme" in d.value.columns]
    assert any("Not applicable: programme sites" in c.value for c in at.caption)
    at.multiselect(key="w_compare").select("MEX").run()
    assert at.query_params["compare"] == "INTERPOL,EU,MEX"
    assert list(headline(at)["Mexico"])[:3] == ["2", "+2 (new)", "36"]  # T1, M1 (T4 cancelled)
    at.switch_page("dashboard.py").run()
    at.switch_page(COMPARE_PAGE).run()
    assert at.multiselect(key="w_compare").value == ["INTERPOL", "EU", "MEX"], "the choice survives a page change"
    assert at.query_params["compare"] == "INTERPOL,EU,MEX"


@pytest.mark.parametrize(
    ("query", "canada", "fcm", "eu"),
    [
        ({}, "4", "1", "1"),
        ({"partnership": "organization"}, "2", "1", "1"),  # T2, T3; O1 names organizations only
        ({"partnership": "bilateral"}, "1", "0", "0"),
        ({"area": "law_enforcement"}, "1", "1", "1"),
    ],
)
def test_compare_organizations_respect_the_filters(partnered_env, query, canada, fcm, eu):
    table = headline(run_page(COMPARE_PAGE, {"compare": "CAN,FCM,EU", **query}))
    assert (table["Canada"][0], table["Five Country Ministerial"][0], table["European Union"][0]) == (canada, fcm, eu)


def test_compare_organizations_and_the_ceiling(partnered_env, monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "restricted")
    assert headline(run_page(COMPARE_PAGE, {"compare": "CAN,FCM"}))["Canada"][0] == "5"  # + R1
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "public")
    table = headline(run_page(COMPARE_PAGE, {"compare": "CAN,FCM,EU"}))
    assert (table["Canada"][0], table["Five Country Ministerial"][0], table["European Union"][0]) == ("1", "0", "0")
    assert table["European Union"][3] == "0", "A1 is internal"


def test_no_organization_spelling_is_a_countrys():
    """The link's codes resolve a country first: no organization may be lost to one."""
    from atlas.data import countries, organizations
    from atlas.views import compare

    for row in organizations.load_organizations():
        for spelling in (row["code"], row["name"], *row["aliases"]):
            assert countries.resolve(spelling) is None, spelling
            assert compare.parse_codes(spelling) == ((row["code"],), [])
