"""The Compare page (AppTest on the fixture database, today pinned to 2026-11-30, viewer ceiling "internal").

Hand-derived from tests/fixtures/*.csv for the default period 2025-12-01..2026-11-30 (as in test_page_country):
- Canada: 3 engagements (F-E01 visa, F-E02 aviation, F-E03 cargo), previous 1 -> "+2 (+200%)", 43 participants;
  in force F-A1, F-A6 = 2 (F-A3 expired); programmes CBP Preclearance (10 current sites, some uncertain), CSI (3),
  attaché office, ICE VSP (uncertain) = 4.
- Mexico: 2 (F-E04 border, F-E05 immigration; F-E06 cancelled), previous 1 -> "+1 (+100%)", 52 participants;
  in force F-A2, F-A6 = 2 (F-A7 restricted); programmes IAP, attaché office = 2.
- United Kingdom: 1 (F-E07 counter-terrorism; F-E08 restricted), previous 0 -> "+1 (new)", 6 participants;
  in force F-A6 = 1; F-A3 expired, F-A5 signed; programmes IAP, CSI (5), PCSC, TSA office, VWP = 5.
- Japan: 1 (F-E10 aviation), 9 participants, in force F-A8 = 1, programmes 5 (VWP among them).
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from apptest_support import run_page
from atlas.views import compare

PAGE = "pages/9_Compare.py"
HEADLINE = {
    "Canada": ["3", "+2 (+200%)", "43", "2", "0", "4"],
    "Mexico": ["2", "+1 (+100%)", "52", "2", "0", "2"],
    "United Kingdom": ["1", "+1 (new)", "6", "1", "0", "5"],
    "Japan": ["1", "+1 (new)", "9", "1", "0", "5"],
}


def headline(at):
    [found] = [d.value for d in at.dataframe if "measure" in d.value.columns]
    return found


def chart(at, key: str) -> dict:
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, f"no single chart {key!r}"
    return json.loads(found[0].proto.spec)


def test_default_is_the_priority_partners(app_env):
    at = run_page(PAGE)
    assert not at.exception
    table = headline(at)
    assert list(table.columns) == ["measure", "Canada", "Mexico", "United Kingdom"]
    assert list(table.measure) == [label for _, label in compare.HEADLINES]
    for name in ("Canada", "Mexico", "United Kingdom"):
        assert list(table[name]) == HEADLINE[name], name
    assert at.multiselect(key="w_compare").value == ["CAN", "MEX", "GBR"]
    assert at.query_params["compare"] == "CAN,MEX,GBR"


def test_the_link_chooses_the_countries_and_their_order(app_env):
    at = run_page(PAGE, {"compare": "JPN,can"})
    assert not at.exception
    assert list(headline(at).columns) == ["measure", "Japan", "Canada"]
    assert list(headline(at).Japan) == HEADLINE["Japan"]
    assert at.query_params["compare"] == "JPN,CAN"


def test_unknown_and_extra_countries_in_the_link_are_ignored_with_a_notice(app_env):
    at = run_page(PAGE, {"compare": "CAN,XXX,MEX,GBR,JPN,FRA"})
    assert not at.exception
    assert at.multiselect(key="w_compare").value == ["CAN", "MEX", "GBR", "JPN"]
    assert any("Ignored in the link: XXX, FRA" in i.value.replace("\\", "") for i in at.info)


def test_the_choice_survives_reruns_and_filter_changes(app_env):
    at = run_page(PAGE, {"compare": "MEX,JPN"})
    at.multiselect(key="w_mission_areas").select("aviation").run()
    assert not at.exception
    assert at.query_params["compare"] == "MEX,JPN" and at.query_params["area"] == "aviation"
    assert list(headline(at).columns) == ["measure", "Mexico", "Japan"]
    assert list(headline(at).Japan)[:1] == ["1"] and list(headline(at).Mexico)[:1] == ["0"]
    at.multiselect(key="w_compare").select("GBR").run()
    assert at.query_params["compare"] == "MEX,JPN,GBR"
    at.multiselect(key="w_compare").unselect("MEX").run()
    assert at.query_params["compare"] == "JPN,GBR"
    assert list(headline(at).columns) == ["measure", "Japan", "United Kingdom"]
    at.switch_page("dashboard.py").run()
    at.switch_page(PAGE).run()
    assert at.multiselect(key="w_compare").value == ["JPN", "GBR"], "the choice survives a page change"


def test_trend_is_one_chart_on_one_scale(app_env):
    spec = chart(run_page(PAGE), "compare_trend")
    lines = {t["name"]: t for t in spec["data"]}
    assert list(lines) == ["Canada", "Mexico", "United Kingdom"]
    assert all(t.get("yaxis", "y") == "y" for t in spec["data"])
    assert all(len(t["x"]) == 12 for t in spec["data"])  # every month of the period, zeros included
    assert sum(lines["Canada"]["y"]) == 3 and sum(lines["Mexico"]["y"]) == 2


def test_a_partial_last_month_is_marked_month_to_date(app_env):
    spec = chart(run_page(PAGE, {"from": "2026-01-01", "to": "2026-11-30"}), "compare_trend")
    assert not spec["layout"].get("annotations")  # whole months: nothing to mark
    partial = run_page(PAGE, {"from": "2026-01-01", "to": "2026-11-20"})
    spec = chart(partial, "compare_trend")
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["to 20 Nov"]
    today = dt.date(2026, 12, 7)
    assert compare.partial_months(dt.date(2025, 12, 8), today, today) == {
        pd.Timestamp("2025-12-01"): "from 8 Dec",
        pd.Timestamp("2026-12-01"): "month to date",
    }


def test_mission_area_mix_is_one_bar_of_100_percent_per_country(app_env):
    spec = chart(run_page(PAGE), "compare_mix")
    assert spec["layout"]["barnorm"] == "percent"
    by_area = {t["name"]: {c: n for c, n in zip(t["y"], t["x"]) if n} for t in spec["data"]}
    assert by_area["Visa Security"] == {"Canada": 1} and by_area["Counter-Terrorism"] == {"United Kingdom": 1}
    assert by_area["Border Security and Training"] == {"Mexico": 1}


def test_agreements_by_status(app_env):
    spec = chart(run_page(PAGE), "compare_agreements")
    counts = {t["name"]: dict(zip(t["x"], t["y"])) for t in spec["data"]}
    assert counts == {
        "Signed": {"Canada": 0, "Mexico": 0, "United Kingdom": 1},
        "In force": {"Canada": 2, "Mexico": 2, "United Kingdom": 1},
        "Expired": {"Canada": 1, "Mexico": 0, "United Kingdom": 1},
    }


def test_programmes_present(app_env):
    at = run_page(PAGE)
    [table] = [d.value for d in at.dataframe if "programme" in d.value.columns]
    rows = {r.programme: (r.Canada, r.Mexico, r._4) for r in table.itertuples()}
    assert rows["CBP Preclearance"] == ("✓ 10 sites (uncertain)", "—", "—")
    assert rows["Container Security Initiative (CSI)"] == ("✓ 3 sites", "—", "✓ 5 sites")
    assert rows["Visa Waiver Program (VWP)"] == ("—", "—", "✓")
    assert rows["ICE Visa Security Program (VSP) unit"] == ("✓ (uncertain)", "—", "—")
    assert len(rows) == 8  # + IAP, attaché office, PCSC, TSA office


def test_the_sensitivity_ceiling(app_env, monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "restricted")
    table = headline(run_page(PAGE))
    assert list(table["United Kingdom"])[0] == "2"  # + F-E08
    assert list(table["Mexico"])[3] == "3"  # + F-A7
    monkeypatch.setenv("ATLAS_MAX_SENSITIVITY", "public")
    table = headline(run_page(PAGE))
    assert list(table["Canada"])[0] == "1" and list(table["Mexico"])[3] == "0"  # F-E01; F-A2 and F-A6 internal


def test_no_country_chosen(app_env):
    at = run_page(PAGE)
    at.multiselect(key="w_compare").set_value([]).run()
    assert not at.exception
    assert any("Choose up to four partner countries" in i.value for i in at.info)
    assert "compare" not in at.query_params


def test_profile_links(app_env):
    at = run_page(PAGE, {"compare": "CAN,MEX"})
    links = [(p.label, p.proto.page) for p in at.get("page_link")]
    menu = {"Country profile", "Organization profile"}  # the sidebar's navigation
    assert [label for label, _ in links if label.endswith(" profile") and label not in menu] == [
        "Canada profile",
        "Mexico profile",
    ]


def test_the_header_names_the_partners_compared_not_the_sidebar_countries(app_env):
    """The line under the title says what the numbers are filtered to: on Compare, the partners chosen here
    (organizations too), never "all countries" for a comparison of organizations."""
    at = run_page(PAGE, {"compare": "EU,ICAO"})
    assert not at.exception
    [line] = [c.value for c in at.caption if "Showing:" in c.value]
    assert "European Union" in line and "International Civil Aviation Organization" in line, line
    assert "all countries" not in line, line
    at = run_page(PAGE, {"compare": "JPN,CAN"})
    [line] = [c.value for c in at.caption if "Showing:" in c.value]
    assert "Japan, Canada" in line, line
