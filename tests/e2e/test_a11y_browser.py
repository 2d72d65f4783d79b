"""Accessibility (WCAG 2.2 AA) in a real Chromium: axe-core on every page with no serious or critical violation
(all its WCAG and best-practice rules in the light theme, its colour rules in the dark theme, switched on the
same page load as a viewer's system setting switches it) and every piece of text at 4.5:1 contrast or more by
our own measure in both; every chart and map with its text alternative, and the filters and a page's controls
worked with the keyboard alone.

axe-core comes inside the axe-playwright-python package and is injected as a script from disk, so it runs with
every request to another host blocked (conftest). The full axe results of each page and theme are saved as
JSON under tests/artifacts/axe/, the screenshots beside them.
"""

from __future__ import annotations

import json

import pytest
from conftest import ARTIFACTS, low_contrast_text, screenshot, wait_for_app

PAGES = [
    # (name, path): every page, the Country profile with a country chosen
    ("overview", "/"),
    ("activity_map", "/Activity_Map"),
    ("country_profile", "/Country_Profile?iso=MEX"),
    ("mission_areas", "/Mission_Areas"),
    ("agreements", "/Agreements"),
    ("data", "/Data"),
    ("briefing", "/Briefing"),
    ("upcoming", "/Upcoming"),
    ("watchlist", "/Watchlist"),
    ("compare", "/Compare"),
    ("organization_profile", "/Organization_Profile"),
    ("what_changed", "/What_Changed"),
]
# The app's two themes ([theme.light] and [theme.dark] in .streamlit/config.toml) follow the browser's colour
# scheme, as a viewer's system setting would choose them.
SCHEMES = ["light", "dark"]
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (only serious and critical ones fail).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
}
# Only colours differ between the themes: the dark run checks the rules that read colours (the rest, about 90% of
# axe's time on a page, gave the same answer in both themes and runs in the light one).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
AXE_OPTIONS_BY_SCHEME = {"light": AXE_OPTIONS, "dark": {"runOnly": {"type": "rule", "values": COLOUR_RULES}}}
FAILING = {"serious", "critical"}
# Violations we accept: (axe rule, CSS selector the flagged element matches, why). Only for parts of
# Streamlit's own widgets that neither its options nor our CSS can change; never a whole rule.
EXCEPTIONS: list[tuple[str, str, str]] = []
LOAD_MS = 300_000  # pages with world maps are slow to draw on a busy 2-core machine

# Until every chart in the main area is drawn: plotly's SVG, deck.gl's canvas.
CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stPlotlyChart"]')]
        .every(c => c.querySelector('.main-svg'))
    && [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDeckGlJsonChart"]')]
        .every(c => c.querySelector('canvas'))"""

# Each chart or map in the main area, with its accessible name and the text alternative drawn with it (the
# caption and the "Numbers behind" expander in the same block, widgets.plotly / widgets.pydeck).
ALTERNATIVES_JS = """() => [...document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stPlotlyChart"], [data-testid="stMain"] [data-testid="stDeckGlJsonChart"]')]
    .map(chart => {
        const block = chart.closest('[data-testid="stVerticalBlock"]');
        const caption = block && block.querySelector(':scope > * [data-testid="stCaptionContainer"]');
        const expander = block && block.querySelector(':scope > * [data-testid="stExpander"] summary');
        return {kind: chart.dataset.testid, role: chart.getAttribute('role'), name: chart.getAttribute('aria-label'),
                caption: caption ? caption.textContent.trim() : null,
                // the expander's icon is a ligature (its name is text): only the words a person reads
                numbers: expander ? expander.textContent.replace(/keyboard_arrow_[a-z]+/g, '').trim() : null};
    })"""

EXCEPTED_JS = (
    "([target, selector]) => { const el = document.querySelector(target); return !!el && el.matches(selector); }"
)


def _open(server, open_session, path: str, scheme: str = "light", width: int = 1440, height: int = 2400):
    session = open_session(width, height, color_scheme=scheme)
    page = session.page
    page.set_default_timeout(LOAD_MS)
    page.goto(server.url + path)
    wait_for_app(page, timeout_ms=LOAD_MS)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=LOAD_MS)
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=LOAD_MS)
    return session


def _open_expanders(page) -> None:
    """Open every expander of the main area (the numbers behind each chart) so that axe checks them too."""
    for summary in page.locator("[data-testid='stMain'] [data-testid='stExpander'] summary").all():
        summary.scroll_into_view_if_needed()
        summary.click()
    page.wait_for_function(
        '() => [...document.querySelectorAll(\'[data-testid="stMain"] [data-testid="stExpander"] details\')]'
        ".every(d => d.open)"
    )


def _failing(page, results: dict) -> list[str]:
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in FAILING:
            continue
        for node in violation["nodes"]:
            target = node["target"][0] if len(node["target"]) == 1 and isinstance(node["target"][0], str) else None
            if target and any(
                rule == violation["id"] and page.evaluate(EXCEPTED_JS, [target, selector])
                for rule, selector, _ in EXCEPTIONS
            ):
                continue
            found.append(f"{violation['id']} ({violation['impact']}) at {node['target']}: {node['failureSummary']}")
    return found


CHARTED = (
    "overview",
    "activity_map",
    "country_profile",
    "mission_areas",
    "agreements",
    "compare",
    "organization_profile",
)


def _axe(page, name: str, scheme: str) -> dict:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS_BY_SCHEME[scheme]).response
    (ARTIFACTS / "axe").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe" / f"{name}_{scheme}.json").write_text(json.dumps(results))
    screenshot(page, f"axe_{name}_{scheme}")
    ran = {r["id"] for key in ("passes", "violations", "incomplete") for r in results[key]}
    assert results["testEngine"]["version"] and (len(ran) > 10 if scheme == "light" else "color-contrast" in ran), (
        "axe did not run"
    )
    return results


@pytest.mark.parametrize("name, path", PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_or_critical_axe_violation_in_either_theme(server, open_session, name, path):
    """One page load per page: the charts' text alternatives, axe (all rules) and our contrast measure in the
    light theme; then the browser's colour scheme switched to dark, as a viewer's system setting switches it,
    and axe's colour rules and our contrast measure again on the page as redrawn."""
    session = _open(server, open_session, path, "light")
    page = session.page
    if name in CHARTED:
        # Charts mount after the script run ends (the drawn-check in _open holds vacuously until then).
        page.wait_for_selector("[data-testid='stMain'] [data-testid='stPlotlyChart'] .main-svg", timeout=LOAD_MS)
        page.wait_for_function(CHARTS_DRAWN_JS, timeout=LOAD_MS)
    if name != "briefing":  # the wall screen draws its one chart as a slide, described by the slide's text
        charts = page.evaluate(ALTERNATIVES_JS)
        for chart in charts:
            assert chart["role"] == "figure" and (chart["name"] or "").strip(), chart
            assert chart["caption"] == chart["name"], chart
            assert (chart["numbers"] or "").startswith("Numbers behind"), chart
        if name in CHARTED:
            assert charts, f"no chart found on {name}: the check saw nothing"
    _open_expanders(page)
    for scheme in SCHEMES:
        if scheme == "dark":
            page.emulate_media(color_scheme="dark")
        if name != "briefing":  # the wall screen has its own dark styling in both themes
            # The theme follows the scheme at once; its colours are checked below, not assumed.
            page.wait_for_function(
                """(dark) => { const [r, g, b] = getComputedStyle(document.querySelector('[data-testid="stApp"]'))
                       .backgroundColor.match(/[\\d.]+/g).map(Number);
                   const l = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; return dark ? l < 0.2 : l > 0.8; }""",
                arg=scheme == "dark",
                timeout=LOAD_MS,
            )
            page.wait_for_function(CHARTS_DRAWN_JS, timeout=LOAD_MS)
        results = _axe(page, name, scheme)
        assert session.blocked == [], f"requests to other hosts: {session.blocked}"
        failing = _failing(page, results)
        assert failing == [], f"{scheme} theme:\n" + "\n".join(failing)
        # Our own measure beside axe's (which leaves text over an image or a gradient 'incomplete'): the text's
        # colour against the first opaque background behind it, on every piece of the main area's text.
        if name != "briefing":  # the wall screen's own dark styling is checked by its tests
            low = low_contrast_text(page)
            assert low == [], f"text under 4.5:1 contrast in the {scheme} theme: {low}"


FOCUSED_JS = """() => { const el = document.activeElement; if (!el || el === document.body) return null;
    const keyed = el.closest('[class*="st-key-"]');
    return {tag: el.tagName, role: el.getAttribute('role'), label: el.getAttribute('aria-label') || '',
            text: (el.innerText || el.value || '').trim().slice(0, 40),
            key: keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')).slice(7) : '',
            sidebar: !!el.closest('[data-testid="stSidebar"]'), main: !!el.closest('[data-testid="stMain"]'),
            expander: !!el.closest('[data-testid="stExpander"]') && el.tagName === 'SUMMARY',
            shown: el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0}; }"""


def _tab_until(page, wanted, limit: int = 120) -> list[dict]:
    """Press Tab until the focused element satisfies `wanted`; every element passed on the way, in order."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused:
            passed.append(focused)
            if wanted(focused):
                return passed
    raise AssertionError(f"not reached by Tab in {limit} presses; passed: {[(p['key'], p['text']) for p in passed]}")


def test_filters_and_page_controls_work_by_keyboard_alone(server, open_session):
    session = _open(server, open_session, "/Mission_Areas", width=1440, height=900)
    page = session.page
    page.locator("body").focus()

    # Tab through the sidebar: the menu, the period, its dates, then the mission areas.
    passed = _tab_until(page, lambda f: f["key"] == "w_mission_areas" and f["tag"] == "INPUT")
    keys = [p["key"] for p in passed]
    assert any(p["sidebar"] and p["tag"] == "A" and "Overview" in p["text"] for p in passed), passed
    assert keys.index("w_preset") < keys.index("w_range") < len(keys) - 1, keys
    assert all(p["shown"] for p in passed), [p for p in passed if not p["shown"]]

    # Pick a mission area with the keyboard: type to filter the options, Enter picks it, Escape closes.
    page.keyboard.type("Cargo")
    page.wait_for_selector("[role='option']:has-text('Cargo Security')", timeout=LOAD_MS)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('area=cargo')", timeout=LOAD_MS)
    wait_for_app(page, timeout_ms=LOAD_MS)
    page.wait_for_selector("[data-testid='stMain'] h3:has-text('Where it works')", timeout=LOAD_MS)
    showing = page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']", has_text="Showing:").first
    assert "Cargo Security" in showing.inner_text()
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=LOAD_MS)

    # On into the page: the first chart's numbers open with Enter and show their table.
    page.locator("[data-testid='stSidebar'] .st-key-w_mission_areas input").focus()
    passed = _tab_until(page, lambda f: f["main"] and f["expander"], limit=200)
    assert "Numbers behind" in passed[-1]["text"], passed[-1]
    page.keyboard.press("Enter")
    page.wait_for_selector(
        "[data-testid='stMain'] details[open] [data-testid='stDataFrame'] >> visible=true", timeout=LOAD_MS
    )
    screenshot(page, "keyboard_mission_areas")
    assert session.blocked == []
