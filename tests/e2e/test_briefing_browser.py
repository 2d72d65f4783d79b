"""Briefing mode on a 1920x1080 wall screen, in a real Chromium."""
from __future__ import annotations

import re

from conftest import low_contrast_text, screenshot, wait_for_app


def _counter(page) -> str:
    return page.locator(".counter").first.inner_text()


def test_briefing_fills_the_screen_with_large_type_and_advances(server, open_session):
    session = open_session(1920, 1080)
    page = session.page
    page.goto(server.url + "/?mode=briefing&area=cargo")
    wait_for_app(page)
    page.wait_for_selector(".slide-title", timeout=30_000)
    assert "mode=briefing" in page.url and "area=cargo" in page.url
    screenshot(page, "briefing_1")

    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert not page.locator("[data-testid='stToolbar']").is_visible()
    sizes = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        const px = (el) => parseFloat(getComputedStyle(el).fontSize);
        const body = [...document.querySelectorAll('.tile-label, .slide-note, .slide-footer, .slide-bullets li')];
        return {scroll: Math.max(document.documentElement.scrollHeight, main.scrollHeight), height: innerHeight,
                width: innerWidth, scrollWidth: document.documentElement.scrollWidth,
                smallest: Math.min(...body.map(px)), headline: px(document.querySelector('.tile-value')),
                title: px(document.querySelector('.slide-title'))};
    }""")
    assert sizes["scroll"] <= sizes["height"], f"the slide scrolls: {sizes}"
    assert sizes["scrollWidth"] <= sizes["width"], sizes
    assert sizes["smallest"] >= 24, sizes
    assert sizes["headline"] >= 96 and sizes["title"] >= 48, sizes
    low = low_contrast_text(page)
    assert low == [], f"text a projector would wash out (contrast under 4.5:1): {low}"

    first = _counter(page)
    assert re.match(r"1 / \d+", first)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.counter').innerText.startsWith('2 /')", timeout=15_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    page.wait_for_timeout(1500)
    screenshot(page, "briefing_2_map")
    page.get_by_role("button", name="Next").click()
    page.wait_for_function("() => document.querySelector('.counter').innerText.startsWith('3 /')", timeout=15_000)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('.counter').innerText.startsWith('2 /')", timeout=15_000)

    # Auto-advance: shortest interval, then wait; the page itself must not reload.
    page.evaluate("() => { window.__notReloaded = true; }")
    page.locator("[data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="every 10 s").click()
    page.wait_for_function("() => document.querySelector('.counter').innerText.startsWith('3 /')", timeout=25_000)
    assert page.evaluate("() => window.__notReloaded === true"), "advancing reloaded the whole page"
    assert session.blocked == []
    assert session.page_errors == []
    assert session.unexpected_failures() == []
