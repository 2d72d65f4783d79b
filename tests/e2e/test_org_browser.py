"""International organizations as a user meets them in a real Chromium at 1440x900: on the Activity map, an
organization's headquarters marker shows a formatted tooltip and a real click on it opens the organization's
profile; on the Overview, a click on a bar of the organizations panel does too.

Positions come from what is drawn (the marker's and the bar's SVG), clicks and hovers go through page.mouse.
"""

from __future__ import annotations

import re

from conftest import screenshot, wait_for_app
from test_maps_browser import LOAD_MS, MARKER_JS, _assert_reads_as_text, _hover, _open

from atlas.data import organizations as reference
from atlas.views import organizations

CODES = [organizations.click_value(code) for code in reference.codes()]
# The on-screen centre of the bar of the chart inside .st-key-<key> whose customdata is `value`, and the value.
BAR_JS = """([key, values]) => {
    const plot = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    if (!plot || !plot.data) return null;
    const trace = plot.data[0], index = [...trace.customdata].findIndex(c => values.includes(c));
    const bars = plot.querySelectorAll('g.trace.bars g.point path');
    if (index < 0 || !bars[index]) return null;
    const r = bars[index].getBoundingClientRect();
    return [r.x + r.width / 2, r.y + r.height / 2, trace.customdata[index]];
}"""


def _lands_on_profile(page, value: str, name: str) -> None:
    code = organizations.code_of(value)
    page.wait_for_url(f"**/Organization_Profile?*org={code}*", timeout=LOAD_MS)
    wait_for_app(page, timeout_ms=LOAD_MS)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=LOAD_MS)
    assert name in page.locator("[data-testid='stMain'] h1").first.inner_text()


def test_a_headquarters_marker_reads_as_text_and_a_click_opens_the_profile(server, open_session):
    session = _open(server, open_session, "/Activity_Map", key="activity_map", charts=False)
    page = session.page
    page.get_by_role("button", name="Organizations", exact=True).click()
    wait_for_app(page, timeout_ms=LOAD_MS)
    page.wait_for_function(
        "(name) => [...document.querySelectorAll('.st-key-activity_map g.trace.scattergeo')]"
        ".some(g => g.__data__ && g.__data__[0].trace.name === name)",
        arg=organizations.MARKER_TRACE,
        timeout=LOAD_MS,
    )
    page.locator(".st-key-activity_map .js-plotly-plot").scroll_into_view_if_needed()
    page.mouse.move(5, 5)
    found = page.evaluate(MARKER_JS, ["activity_map", organizations.MARKER_TRACE, None, CODES])
    assert found, "no organization headquarters drawn"
    x, y, value, hover = found
    name = re.match(r"<b>(.*?)</b>", hover).group(1)  # demo names hold nothing to escape
    tip = _hover(page, x, y)
    _assert_reads_as_text(tip, name)
    assert any(line.startswith("headquarters: ") for line in tip["lines"]), tip
    assert any(line.endswith("engagements in the period") for line in tip["lines"]), tip
    assert organizations.CLICK_HINT in tip["lines"], tip
    screenshot(page, "org_tooltip_headquarters")
    page.mouse.click(x, y)
    _lands_on_profile(page, value, name)
    screenshot(page, "org_profile_from_map")
    assert session.page_errors == [] and session.blocked == []


def test_a_click_on_the_overview_panel_opens_the_profile(server, open_session):
    session = _open(server, open_session, "/")
    page = session.page
    page.locator(".st-key-top_organizations .js-plotly-plot").scroll_into_view_if_needed()
    found = page.evaluate(BAR_JS, ["top_organizations", CODES])
    assert found, "no organization bar drawn"
    x, y, value = found
    name = reference.name_of(organizations.code_of(value))
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    _lands_on_profile(page, value, name)
    assert session.page_errors == [] and session.blocked == []
