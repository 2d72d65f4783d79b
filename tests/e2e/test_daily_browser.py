"""The office's daily pages (Upcoming, Watchlist, Compare) in a real Chromium against `streamlit run` on the demo
database: drawn, no error, and not one request to another host. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import pytest
from conftest import screenshot

PAGES = [
    # (name, path, a text low on the page it must show, whether it draws a plotly chart)
    ("upcoming", "/Upcoming", "Download the agenda", True),
    ("watchlist", "/Watchlist", "Agreements expiring with no renewal in negotiation", False),
    ("compare", "/Compare?compare=CAN,MEX,GBR,JPN", "Real, sourced facts", True),
]


def _settled(page, timeout_ms: int = 180_000) -> None:
    """Until the script has finished and nothing is loading (conftest.wait_for_app, with room for a busy machine)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') && "
        "!document.querySelector('[data-testid=\"stSkeleton\"]')",
        timeout=timeout_ms,
    )


@pytest.mark.parametrize("name, path, text, plotly", PAGES, ids=[p[0] for p in PAGES])
def test_daily_page_renders_offline(server, open_session, name, path, text, plotly):
    session = open_session()
    session.page.goto(server.url + path)
    # The text sits low on the page: once it is drawn, the run is nearly done (a loaded machine is slow).
    main = session.page.locator("[data-testid='stMain']")
    main.get_by_text(text).first.wait_for(timeout=180_000)
    _settled(session.page)
    if plotly:
        session.page.wait_for_selector(".js-plotly-plot .main-svg >> visible=true", timeout=120_000)
    # A shown table (the numbers behind each chart sit in closed expanders until opened).
    session.page.wait_for_selector("[data-testid='stDataFrame'] >> visible=true", timeout=120_000)
    screenshot(session.page, f"daily_{name}")
    assert session.blocked == [], f"requests to other hosts: {session.blocked}"
    assert session.page_errors == [], session.page_errors
    assert session.unexpected_failures() == [], session.unexpected_failures()
    unexplained = [e for e in session.console_errors if "status of 404" not in e]
    assert unexplained == [], unexplained
    content = session.page.content()
    assert "Traceback" not in content and "stException" not in content
    if name == "compare":
        assert "compare=CAN%2CMEX%2CGBR%2CJPN" in session.page.url or "compare=CAN,MEX,GBR,JPN" in session.page.url
