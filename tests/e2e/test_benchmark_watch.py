"""The browser benchmark's clock (benchmarks/browser.py WATCH_JS) in a real Chromium: what counts as a change drawn."""

from __future__ import annotations

from benchmarks.browser import WATCH_JS

PAGE = "<html><body><div id='d'></div><canvas id='c'></canvas></body></html>"


def _last(page) -> float:
    return page.evaluate("() => window.__atlas.last")


def _change(page, js: str) -> tuple[float, float]:
    before = _last(page)
    page.evaluate(f"() => new Promise(r => {{ {js}; setTimeout(r, 20); }})")
    return before, _last(page)


def test_changes_drawn_move_the_clock_and_canvas_fallback_content_does_not(browser):
    context = browser.new_context()
    context.add_init_script(WATCH_JS)
    page = context.new_page()
    page.set_content(PAGE)
    try:
        before, after = _change(page, "document.getElementById('d').textContent = 'drawn'")
        assert after > before
        # The table grid's screen-reader table lives inside its canvas: never painted, not counted.
        before, after = _change(
            page, "document.getElementById('c').appendChild(document.createElement('table')).textContent = 'x'"
        )
        assert after == before
        before, after = _change(page, "document.querySelector('#c table').textContent = 'y'")
        assert after == before
        # A canvas changing size is drawn.
        before, after = _change(page, "document.getElementById('c').width = 640")
        assert after > before
    finally:
        context.close()
