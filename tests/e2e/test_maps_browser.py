"""The maps and charts as a user meets them in a real Chromium at 1440x900: tooltips read as formatted text, a real
mouse click on a country opens its profile on every map, the last month of a trend is marked partial when it is
not over, no axis label collides with another, and the first chart of each page starts above the fold.

Positions come from what is drawn (the country's SVG path, the site's marker), never from the figure's data
alone; clicks and hovers go through page.mouse, as a user's would.
"""

from __future__ import annotations

import pytest
from conftest import screenshot, start_server, stop_server, wait_for_app
from test_charts_browser import OVERLAP_JS, TRACES_JS, _last_points

WIDTH, HEIGHT = 1440, 900
LOAD_MS = 300_000  # world maps draw slowly on a busy 2-core machine: wait, do not fail
MID_MONTH = "2026-11-12"  # a today inside November: its month is partial on every default page

# The on-screen point of a country on the map inside .st-key-<key>: a point inside its drawn shape (nearest the
# middle of its box), through the path's own transform, so whatever the projection, the click lands on it.
COUNTRY_POINT_JS = """([key, iso3]) => {
    const plot = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    const path = [...plot.querySelectorAll('path.choroplethlocation')].find(p => p.__data__ && p.__data__.loc === iso3);
    if (!path) return null;
    const box = path.getBBox(), svg = path.ownerSVGElement, m = path.getScreenCTM();
    // Not under a small state's dot, which sits above the shapes and takes the click (France's box, with its
    // overseas parts, is centred far from Europe; the nearest point of it can be Liechtenstein's dot).
    const dots = [...plot.querySelectorAll('g.trace.scattergeo path.point')].map(d => d.getBoundingClientRect())
        .map(r => [r.x + r.width / 2, r.y + r.height / 2]);
    let best = null;
    for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
        const pt = svg.createSVGPoint(); pt.x = box.x + box.width * i / 24; pt.y = box.y + box.height * j / 24;
        if (!path.isPointInFill(pt)) continue;
        const x = m.a * pt.x + m.c * pt.y + m.e, y = m.b * pt.x + m.d * pt.y + m.f;
        if (dots.some(([dx, dy]) => Math.hypot(x - dx, y - dy) < 16)) continue;
        const d = Math.hypot(i - 12, j - 12);
        if (!best || d < best.d) best = {d, x, y};
    }
    return best && [best.x, best.y];
}"""
# A large country drawn on that map (an easy target), as its iso3: the first of these that is drawn, else the one
# with the largest box. Compact ones first: a box is a poor measure for a country with far-off parts (France's,
# with French Guiana, is centred in the Atlantic, and its nearest point sits among Caribbean dots).
BIG = ["BRA", "CAN", "USA", "AUS", "CHN", "IND", "ARG", "KAZ", "DZA", "SAU", "MEX", "MNG", "PER", "TUR", "EGY"]
LARGEST_JS = """([key, big]) => {
    const paths = [...document.querySelectorAll(`.st-key-${key} .js-plotly-plot path.choroplethlocation`)]
        .filter(p => p.__data__ && p.__data__.loc);
    const drawn = new Set(paths.map(p => p.__data__.loc));
    const first = big.find(iso => drawn.has(iso));
    if (first) return first;
    const area = (p) => { const b = p.getBoundingClientRect(); return b.width * b.height; };
    return paths.sort((a, b) => area(b) - area(a))[0].__data__.loc;
}"""
# The on-screen centre of the marker of trace `name` whose tooltip holds `text` (or whose iso3 is one of `iso3s`).
MARKER_JS = """([key, name, text, iso3s]) => {
    const plot = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    const group = [...plot.querySelectorAll('g.trace.scattergeo')].find(g => g.__data__ && g.__data__[0].trace.name === name);
    const trace = plot.data.find(t => t.name === name);
    if (!group || !trace) return null;
    const index = text ? trace.hovertext.findIndex(h => h.includes(text)) : trace.customdata.findIndex(c => iso3s.includes(c));
    if (index < 0) return null;
    const r = group.querySelectorAll('path.point')[index].getBoundingClientRect();
    return [r.x + r.width / 2, r.y + r.height / 2, trace.customdata[index], trace.hovertext[index]];
}"""
# What the tooltip shows: its visible text, and the text set in bold.
TOOLTIP_JS = """() => {
    const label = document.querySelector('.hoverlayer .hovertext');
    if (!label) return null;
    const text = label.querySelector('text.nums') || label.querySelector('text');
    return {lines: [...text.querySelectorAll('tspan.line')].map(t => t.textContent),
            text: text.textContent,
            bold: [...text.querySelectorAll('tspan')].filter(t => /bold|700/.test(t.getAttribute('style') || '')).map(t => t.textContent)};
}"""
# The top of the first chart or map the user can see (closed expanders hold charts too), in page pixels.
FIRST_CHART_JS = """() => {
    const shown = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot, [data-testid="stMain"] [data-testid="stDeckGlJsonChart"]')]
        .map(el => el.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
    return shown.length ? Math.min(...shown.map(r => r.top + scrollY)) : null;
}"""


CHARTED = {"overview", "activity_map", "country", "compare", "areas", "agreements"}  # pages that must draw a chart


def _open(server, open_session, path: str, *, key: str | None = None, charts: bool = True):
    session = open_session(WIDTH, HEIGHT)
    page = session.page
    page.set_default_timeout(LOAD_MS)
    page.goto(server.url + path)
    wait_for_app(page, timeout_ms=LOAD_MS)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=LOAD_MS)
    if key:
        page.wait_for_selector(f".st-key-{key} .js-plotly-plot .main-svg", timeout=LOAD_MS)
        page.wait_for_function(
            "(key) => document.querySelectorAll(`.st-key-${key} path.choroplethlocation`).length > 0", arg=key
        )
    if charts:  # at least one chart shown (an empty list would pass at once), and every chart drawn
        page.wait_for_selector("[data-testid='stMain'] .js-plotly-plot .main-svg >> visible=true", timeout=LOAD_MS)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stMain\"] .js-plotly-plot')]"
            ".every(d => d.querySelector('.main-svg') && d.data)",
            timeout=LOAD_MS,
        )
    return session


def _country_point(page, key: str, iso3: str) -> tuple[float, float]:
    """Scroll the map into view and give the on-screen point of the country's shape."""
    page.locator(f".st-key-{key} .js-plotly-plot").scroll_into_view_if_needed()
    point = page.evaluate(COUNTRY_POINT_JS, [key, iso3])
    assert point, f"{iso3} is not drawn on {key}"
    return point[0], point[1]


def _hover(page, x: float, y: float) -> dict:
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    page.wait_for_function("() => document.querySelector('.hoverlayer .hovertext')", timeout=LOAD_MS)
    return page.evaluate(TOOLTIP_JS)


def _assert_reads_as_text(tip: dict, name: str) -> None:
    assert tip and name in tip["bold"], f"{name} not in bold: {tip}"
    for raw in ("<", "&quot;", "&lt;", "&amp;", "{", "}"):
        assert raw not in tip["text"], f"{raw!r} shown in the tooltip: {tip['text']}"
    assert len(tip["lines"]) >= 2, f"no line breaks: {tip}"


def test_activity_map_tooltips_read_as_formatted_text(server, open_session):
    session = _open(server, open_session, "/Activity_Map", key="activity_map")
    page = session.page
    tip = _hover(page, *_country_point(page, "activity_map", "CAN"))
    _assert_reads_as_text(tip, "Canada")
    assert any("engagements" in line for line in tip["lines"]) and any("click" in line for line in tip["lines"]), tip
    screenshot(page, "maps_tooltip_country")

    page.get_by_role("button", name="Preclearance airports").click()
    wait_for_app(page, timeout_ms=LOAD_MS)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.st-key-activity_map g.trace.scattergeo')]"
        ".some(g => g.__data__ && g.__data__[0].trace.name === 'program_preclearance')",
        timeout=LOAD_MS,
    )
    page.mouse.move(5, 5)
    x, y, _, _ = page.evaluate(MARKER_JS, ["activity_map", "program_preclearance", "Shannon Airport", []])
    tip = _hover(page, x, y)
    _assert_reads_as_text(tip, "Shannon Airport (Ireland)")
    assert any(line.startswith("source: https://") for line in tip["lines"]), tip
    assert any(line.startswith("as of:") for line in tip["lines"]), tip
    screenshot(page, "maps_tooltip_site")
    assert session.page_errors == [] and session.blocked == []


MAPS = [
    # (name, path, map key, country to click: None = the largest drawn)
    ("overview", "/", "overview_map", "BRA"),
    ("activity_map", "/Activity_Map", "activity_map", "CAN"),
    ("mission_areas", "/Mission_Areas?area=visa", "area_map_visa", None),
    ("agreements", "/Agreements", "agreement_map", None),
]


@pytest.mark.parametrize(("name", "path", "key", "iso3"), MAPS, ids=[m[0] for m in MAPS])
def test_a_real_click_on_a_country_opens_its_profile(server, open_session, name, path, key, iso3):
    session = _open(server, open_session, path, key=key, charts=False)
    page = session.page
    iso3 = iso3 or page.evaluate(LARGEST_JS, [key, BIG])
    x, y = _country_point(page, key, iso3)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_url(f"**/Country_Profile?*iso={iso3}*", timeout=LOAD_MS)
    wait_for_app(page, timeout_ms=LOAD_MS)
    screenshot(page, f"maps_click_{name}")
    assert f"iso={iso3}" in page.url
    assert session.page_errors == [] and session.blocked == []


# The on-screen point of a longitude and latitude on a map (plotly's own projection of that geo).
LONLAT_JS = """([key, lon, lat]) => {
    const plot = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    const [x, y] = plot._fullLayout.geo._subplot.projection([lon, lat]);
    const frame = plot.querySelector('svg.main-svg').getBoundingClientRect();
    return [frame.x + x, frame.y + y];
}"""


def test_the_middle_of_a_country_among_small_states_is_that_country(server, open_session):
    # Luxembourg, Liechtenstein and Monaco are dots around France; with plotly's default reach (20 px) the
    # middle of France hovered (and clicked) as Luxembourg.
    session = _open(server, open_session, "/Agreements", key="agreement_map", charts=False)
    page = session.page
    page.locator(".st-key-agreement_map .js-plotly-plot").scroll_into_view_if_needed()
    x, y = page.evaluate(LONLAT_JS, ["agreement_map", 2.5, 46.8])
    tip = _hover(page, x, y)
    assert tip and tip["bold"] == ["France"], tip
    assert session.page_errors == [] and session.blocked == []


SMALL_STATES = ["MCO", "SGP", "MLT", "BHR", "LUX", "QAT", "BRN", "CYP", "ISL", "LIE", "AND", "SMR", "MDV", "MUS"]


def test_a_small_state_dot_sits_above_the_arcs_and_opens_its_profile(server, open_session):
    session = _open(server, open_session, "/Activity_Map", key="activity_map", charts=False)
    page = session.page
    page.locator(".st-key-activity_map .js-plotly-plot").scroll_into_view_if_needed()
    found = page.evaluate(MARKER_JS, ["activity_map", "Small states", None, SMALL_STATES])
    assert found, "no small state among the active countries"
    x, y, iso3, hover = found
    tip = _hover(page, x, y)
    # The dot wins the hover over the shape and the arc around it: its own name is the one shown.
    assert tip and tip["bold"] and f"<b>{tip['bold'][0]}</b>" in hover, (tip, hover)
    page.mouse.click(x, y)
    page.wait_for_url(f"**/Country_Profile?*iso={iso3}*", timeout=LOAD_MS)
    screenshot(page, "maps_click_small_state")
    assert session.page_errors == [] and session.blocked == []


@pytest.fixture(scope="module")
def mid_month_server(demo_db, tmp_path_factory):
    running = start_server(demo_db, tmp_path_factory.mktemp("log_mid") / "streamlit.log", {"ATLAS_TODAY": MID_MONTH})
    yield running
    stop_server(running)


TRENDS = [
    # (name, path, the page's trend chart: its widget key)
    ("overview", "/", "mix"),
    ("country", "/Country_Profile?iso=CAN", "country_mix"),
    ("areas", "/Mission_Areas?area=visa,cargo,counterterrorism", "area_trend"),
    ("compare", "/Compare", None),
]


@pytest.mark.parametrize(("name", "path", "trend"), TRENDS, ids=[t[0] for t in TRENDS])
def test_every_trend_marks_a_month_not_yet_over(mid_month_server, open_session, name, path, trend):
    """Every monthly series that reaches this month (today is mid-month) draws it as partial."""
    session = _open(mid_month_server, open_session, path)
    page = session.page
    if trend:  # the page's own trend chart, drawn with its data (not only whichever chart came first)
        page.wait_for_function(
            "(key) => { const d = document.querySelector(`.st-key-${key} .js-plotly-plot`); "
            "return d && d.querySelector('.main-svg') && d.data && d.data.length > 0; }",
            arg=trend,
            timeout=LOAD_MS,
        )
    screenshot(page, f"maps_partial_{name}")
    month = MID_MONTH[:7]
    reaching = {}
    for chart in page.evaluate(TRACES_JS):
        monthly = [t for t in chart["traces"] if t["x"] and all(x is None or x[4:5] == "-" for x in t["x"])]
        ends = _last_points(monthly) if monthly else {}
        if any(last == month for last, _ in ends.values()):
            reaching[chart["key"]] = {g: marked for g, (last, marked) in ends.items() if last == month}
    if trend:
        assert trend in reaching, f"{trend} on {name} does not reach {month}: {sorted(reaching)}"
    for key, series in reaching.items():
        assert all(series.values()), f"{key} on {name}: the month to date is drawn as a whole month: {series}"
    assert session.page_errors == []


PAGES = [
    ("overview", "/"),
    ("activity_map", "/Activity_Map"),
    ("country", "/Country_Profile?iso=MEX"),
    ("compare", "/Compare"),
    ("areas", "/Mission_Areas?area=visa,cargo,counterterrorism"),
    ("agreements", "/Agreements"),
    ("data", "/Data"),
    ("upcoming", "/Upcoming"),
    ("watchlist", "/Watchlist"),
]


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_first_chart_above_the_fold_and_no_axis_label_overlap(server, open_session, name, path):
    session = _open(server, open_session, path, charts=name in CHARTED)
    page = session.page
    top = page.evaluate(FIRST_CHART_JS)
    overlaps = page.evaluate(OVERLAP_JS)
    page.screenshot(path=str(screenshot(page, f"maps_fold_{name}")).replace(".png", "_viewport.png"))
    assert overlaps == [], f"{name}: labels overlap: {overlaps[:10]}"
    if top is not None:
        assert top < HEIGHT, f"{name}: the first chart starts at {top:.0f} px, below the first {HEIGHT} px"
    elif name in CHARTED:
        pytest.fail(f"{name} drew no chart")
    assert session.page_errors == []
