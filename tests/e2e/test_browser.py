"""Every page in a real Chromium against `streamlit run`: charts and map drawn, no console error,
and not one request to another host (each is blocked and counted). Screenshots go to tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import WAIT_MS, screenshot, wait_for_app

PAGES = [
    # (name, path, what must be drawn)
    ("overview", "/", "plotly"),
    ("activity_map", "/Activity_Map", "plotly"),
    ("country_profile", "/Country_Profile?iso=MEX", "plotly"),
    ("mission_areas", "/Mission_Areas", "plotly"),
    ("agreements", "/Agreements", "plotly"),
    ("data", "/Data", None),
    ("briefing", "/Briefing", "plotly"),
    ("upcoming", "/Upcoming", "plotly"),
    ("watchlist", "/Watchlist", None),
    ("compare", "/Compare", "plotly"),
    ("organization_profile", "/Organization_Profile", "plotly"),
    ("what_changed", "/What_Changed", None),
]


def test_every_page_is_checked_offline():
    """A page added to pages/ is added here too: the offline proof covers every page."""
    root = Path(__file__).resolve().parents[2]
    expected = {"/"} | {"/" + f.stem.split("_", 1)[1] for f in (root / "pages").glob("*.py")}
    assert {path.split("?")[0] for _, path, _ in PAGES} == expected


def _drawn(page, what: str | None) -> None:
    if what is None:  # a page of tables and numbers: the app's own wait is enough
        return
    if what == "plotly":
        # Some charts sit in closed expanders ("Numbers behind this map"): wait for one that is shown.
        page.wait_for_selector(".js-plotly-plot .main-svg >> visible=true", timeout=WAIT_MS)
    else:
        page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=WAIT_MS)


@pytest.mark.parametrize("name, path, what", PAGES, ids=[p[0] for p in PAGES])
def test_page_renders_offline(server, open_session, name, path, what):
    session = open_session()
    session.page.goto(server.url + path)
    wait_for_app(session.page)
    _drawn(session.page, what)
    wait_for_app(session.page)
    screenshot(session.page, name)
    assert session.blocked == [], f"requests to other hosts: {session.blocked}"
    assert session.page_errors == [], session.page_errors
    assert session.unexpected_failures() == [], session.unexpected_failures()
    unexplained = [e for e in session.console_errors if "status of 404" not in e]
    assert unexplained == [], unexplained
    assert "Traceback" not in session.page.content()


def test_world_choropleth_draws_country_shapes_from_local_topojson(server, open_session):
    session = open_session()
    session.page.goto(server.url + "/")
    wait_for_app(session.page)
    session.page.wait_for_selector("path.choroplethlocation", timeout=WAIT_MS)
    shapes = session.page.locator("path.choroplethlocation").count()
    assert shapes > 80, f"only {shapes} shaded countries: the topojson did not load"
    assert session.blocked == []


def test_activity_map_draws_from_local_topojson_and_keeps_filters_in_the_url(server, open_session):
    session = open_session()
    fetched = []
    session.page.on("request", lambda r: fetched.append(r.url) if "topojson" in r.url else None)
    session.page.goto(server.url + "/Activity_Map")
    wait_for_app(session.page)
    session.page.wait_for_selector(".st-key-activity_map path.choroplethlocation", timeout=WAIT_MS)
    assert fetched and all(u.startswith(server.url) for u in fetched), fetched
    # Changing a filter reruns the page and redraws the map.
    session.page.get_by_role("button", name="Mexico").click()
    wait_for_app(session.page)
    session.page.wait_for_selector(".st-key-activity_map path.choroplethlocation", timeout=WAIT_MS)
    assert "country=MEX" in session.page.url
    assert session.blocked == []


def test_copied_url_reopens_the_same_filters(server, open_session):
    session = open_session()
    session.page.goto(server.url + "/?area=cargo&country=CAN")
    wait_for_app(session.page)
    text = session.page.locator(
        "[data-testid='stMain'] [data-testid='stCaptionContainer']", has_text="Showing:"
    ).first.inner_text()
    assert "Cargo Security" in text and "Canada" in text
    assert "area=cargo" in session.page.url and "country=CAN" in session.page.url


# Text contrast in the light and the dark theme is checked on every page, expanders open, by
# test_a11y_browser.py::test_no_serious_or_critical_axe_violation_in_either_theme (axe's colour rules and low_contrast_text).


def test_a_request_to_another_host_is_blocked_and_counted(server, open_session):
    """The guard every browser test relies on: the app's own requests pass, any other is aborted and recorded."""
    session = open_session()
    session.page.goto(server.url + "/Data")
    wait_for_app(session.page)
    assert session.blocked == []
    outcome = session.page.evaluate(
        "() => fetch('https://tiles.example.org/1/1/1.png').then(() => 'fetched', () => 'failed')"
    )
    assert outcome == "failed"
    assert session.blocked == ["https://tiles.example.org/1/1/1.png"]
