"""Briefing mode on a wall screen, in a real Chromium: every slide measured at 1920x1080, 1280x720 and 3840x2160."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import TODAY, WAIT_MS, low_contrast_text, screenshot, wait_for_app
from layout_check import measure, problems

SLIDES = "headline,map,partners,areas,agreements,renewals,changes,area:visa,country:MEX"


def _counter(page) -> str:
    return page.locator(".counter").first.inner_text()


@pytest.fixture(scope="module")
def titles(demo_db) -> list[str]:
    from atlas.data.db import Database
    from atlas.data.filters import default_filters
    from atlas.views import briefing

    db = Database.open(demo_db)
    try:
        run = lambda name, f=None, **extra: db.query(name, (f.params() if f else {}) | extra)  # noqa: E731
        f = default_filters(dt.date.fromisoformat(TODAY))
        deck = briefing.build_slides(run, f, since=f.today - dt.timedelta(days=30), as_of="", keys=SLIDES.split(","))
        return [(s.title, s.figure is not None) for s in deck.slides]
    finally:
        db.close()


def wait_for_slide(page, number: int, title: str, chart: bool) -> None:
    """Until slide `number` is drawn: its counter and title, its chart (if it has one) drawn, nothing stale."""
    page.wait_for_function(
        """([n, title, chart]) => {
        const counter = [...document.querySelectorAll('.counter')].pop(), h = document.querySelector('.slide-title');
        if (!counter || !counter.innerText.trim().startsWith(n + ' /') || !h || h.innerText.trim() !== title) return false;
        if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
        const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
        return charts.length === (chart ? 1 : 0) && [...charts].every(c => c.querySelector('.main-svg text'));
    }""",
        arg=[number, title, chart],
        timeout=WAIT_MS,  # a 4K frame on a busy machine
    )
    page.wait_for_function("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")


def pause(page) -> None:
    """Pause the timer by clicking the (visually hidden) toggle once it is drawn: on a busy machine the bar's buttons
    come after the slide and a Space pressed before is lost. The arrows below test the keyboard."""
    toggle = "() => [...document.querySelectorAll('button')].find(b => /Pause|Play/.test(b.textContent))"
    page.wait_for_function(toggle, timeout=WAIT_MS)
    page.evaluate(f"() => {{ const b = ({toggle})(); if (b.textContent.includes('Pause')) b.click(); }}")
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some(b => b.textContent.includes('Play'))", timeout=WAIT_MS
    )


# The slide is laid out at 1920x1080 and scaled to the screen: the charts must be drawn at the design size (not at the
# scaled size, then scaled again), and the type must keep its 24 px at 1920x1080, in proportion at other sizes.
@pytest.mark.parametrize("width,height", [(1920, 1080), (1280, 720), (3840, 2160)])
def test_every_slide_fits_the_frame_without_clipping_or_overlap(server, open_session, titles, width, height):
    session = open_session(width, height)
    page = session.page
    page.goto(f"{server.url}/?mode=briefing&kiosk=1&slides={SLIDES}")
    wait_for_app(page)
    page.wait_for_selector(".slide-title", timeout=WAIT_MS)
    pause(page)  # so the timer does not move on while measuring
    # A cold first load may outlast one timer interval: go back to the first slide.
    for _ in range(len(titles)):
        if page.evaluate("() => [...document.querySelectorAll('.counter')].pop().innerText.trim()").startswith("1 /"):
            break
        before = page.evaluate("() => [...document.querySelectorAll('.counter')].pop().innerText.trim()")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(
            "(b) => [...document.querySelectorAll('.counter')].pop().innerText.trim() !== b",
            arg=before,
            timeout=WAIT_MS,
        )
    seen = {}
    for number, (title, chart) in enumerate(titles, start=1):
        if number > 1:
            page.keyboard.press("ArrowRight")
        wait_for_slide(page, number, title, chart)
        found = measure(page, skip=".st-key-brief_controls", min_px=24 * min(width / 1920, height / 1080) - 0.01)
        seen[title] = len(found["texts"])
        assert problems(found) == {}, f"slide {number} ({title}) at {width}x{height}: {problems(found)}"
        size = page.evaluate(
            "() => ({w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight})"
        )
        assert size["w"] <= width and size["h"] <= height, f"slide {number} scrolls: {size}"
        # A chart is drawn at its design width (the full frame, or beside the bullets), then scaled with the frame.
        charts = page.evaluate(
            "() => [...document.querySelectorAll('.main-svg')].slice(0, 1).map(s => [+s.getAttribute('width'), "
            "s.getBoundingClientRect().width])"
        )
        scale = min(width / 1920, height / 1080)
        for drawn, shown in charts:
            assert drawn in (1824, 1348) and abs(shown - drawn * scale) < 2, (title, drawn, shown)
        screenshot(page, f"briefing_kiosk_{number}" + ("" if width == 1920 else f"_{width}"))
    assert all(seen.values()), seen
    assert session.blocked == [] and session.page_errors == []


def test_briefing_controls_large_type_and_advance(server, open_session):
    session = open_session(1920, 1080)
    page = session.page
    page.goto(server.url + "/?mode=briefing&area=cargo")
    wait_for_app(page)
    # The whole first slide: tiles, chart text and footer (on a busy machine they come one after the other).
    page.wait_for_function(
        """() => document.querySelector('.slide-title') && document.querySelector('.tile-value')
        && document.querySelector('.slide-footer') && document.querySelector('[data-testid="stPlotlyChart"] .main-svg text')
        && !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')""",
        timeout=WAIT_MS,
    )
    pause(page)  # while measuring; played again (Space) for the auto-advance below
    assert "mode=briefing" in page.url and "area=cargo" in page.url
    screenshot(page, "briefing_1")

    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert not page.locator("[data-testid='stToolbar']").is_visible()
    found = measure(page)
    assert problems(found) == {}, problems(found)
    sizes = page.evaluate("""() => {
        const px = (el) => parseFloat(getComputedStyle(el).fontSize);
        return {headline: px(document.querySelector('.tile-value')), title: px(document.querySelector('.slide-title')),
                footer: document.querySelector('.slide-footer').getBoundingClientRect().height};
    }""")
    assert sizes["headline"] >= 96 and sizes["title"] >= 48, sizes
    assert sizes["footer"] < 40, f"the footer is one quiet line: {sizes}"
    low = low_contrast_text(page)
    assert low == [], f"text a projector would wash out (contrast under 4.5:1): {low}"

    assert re.match(r"1 / \d+", _counter(page))
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.counter').innerText.startsWith('2 /')", timeout=WAIT_MS)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=WAIT_MS)
    # The map's countries, not only its frame: plotly draws them after fetching the (local) map file, and a map
    # taken off screen while it is still drawing makes plotly.js throw on the purged chart (a page error).
    map_drawn = ".js-plotly-plot path.choroplethlocation"
    page.wait_for_selector(map_drawn, timeout=WAIT_MS)
    screenshot(page, "briefing_2_map")
    page.get_by_role("button", name="Next").click()
    page.wait_for_function("() => document.querySelector('.counter').innerText.startsWith('3 /')", timeout=WAIT_MS)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('.counter').innerText.startsWith('2 /')", timeout=WAIT_MS)
    page.wait_for_selector(map_drawn, timeout=WAIT_MS)

    # Auto-advance: shortest interval, then wait; the page itself must not reload.
    page.evaluate("() => { window.__notReloaded = true; }")
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some(b => b.textContent.includes('Pause'))", timeout=WAIT_MS
    )
    page.get_by_role("button", name="Slides").click()
    page.locator("[data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="every 10 s").click()
    page.wait_for_function("() => document.querySelector('.counter').innerText.startsWith('3 /')", timeout=WAIT_MS)
    assert page.evaluate("() => window.__notReloaded === true"), "advancing reloaded the whole page"
    assert session.blocked == []
    assert session.page_errors == []
    assert session.unexpected_failures() == []
