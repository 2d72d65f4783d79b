"""A real Streamlit server and a real Chromium, with every request to another host blocked and counted."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from benchmarks.browser import NOT_LOCAL

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TODAY = "2026-11-30"
# How long a browser test waits for what it needs before failing: long, so a busy 2-core machine slows the
# suite without failing it (a wait ends as soon as its condition holds). ATLAS_E2E_WAIT_MS shortens it while
# writing a test, so a wrong locator fails in seconds.
WAIT_MS = int(os.environ.get("ATLAS_E2E_WAIT_MS", 300_000))

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    how = "Install it with `apt-get install -y chromium` (Debian), or set ATLAS_CHROMIUM to its path."
    if os.environ.get("CI") or not os.environ.get("ATLAS_SKIP_E2E"):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the end-to-end tests need a real browser. {how} "
            "Outside CI you may skip them with ATLAS_SKIP_E2E=1.",
            pytrace=False,
        )
    pytest.skip(f"ATLAS_SKIP_E2E is set and Chromium is missing. {how}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    db: Path
    process: subprocess.Popen
    log: Path


def start_server(db: Path, log: Path, extra_env: dict | None = None) -> Server:
    port = free_port()
    # extra_env may override ATLAS_TODAY (a second server on another day).
    env = {**os.environ, "ATLAS_DB": str(db), "ATLAS_TODAY": TODAY, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    handle = log.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return Server(url, db, process, log)
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    process.terminate()
    raise RuntimeError(f"streamlit did not start; log:\n{log.read_text()[-3000:]}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    from atlas.data import build

    path = tmp_path_factory.mktemp("e2e") / "atlas.duckdb"
    build.build(path, engagements=3000, agreements=200, seed=7)
    return path


@pytest.fixture(scope="session")
def server(demo_db, tmp_path_factory):
    running = start_server(demo_db, tmp_path_factory.mktemp("log") / "streamlit.log")
    yield running
    stop_server(running)


@dataclass
class Session:
    """One browser page, with what it tried to fetch elsewhere and what went wrong."""

    page: object
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def unexpected_failures(self) -> list[str]:
        # Opening a page URL directly, Streamlit's frontend first probes <page>/_stcore/health and
        # <page>/_stcore/host-config to find the app's base path; those two 404s are expected.
        return [
            u
            for u in self.failed_responses
            if not u.split("?")[0].endswith(("/_stcore/health", "/_stcore/host-config"))
        ]


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path, headless=True, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_session(browser):
    contexts = []

    def make(width: int = 1600, height: int = 2400, color_scheme: str = "light") -> Session:
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme)
        contexts.append(context)
        context.set_default_timeout(WAIT_MS)
        page = context.new_page()
        session = Session(page)

        def block(request_route):
            session.blocked.append(request_route.request.url)
            request_route.abort()

        # Only other addresses are routed (benchmarks/browser.py: routing all cost ~0.7 s per page load).
        context.route(NOT_LOCAL, block)
        page.on("console", lambda m: session.console_errors.append(m.text) if m.type == "error" else None)
        page.on("response", lambda r: session.failed_responses.append(r.url) if r.status >= 400 else None)
        page.on("pageerror", lambda e: session.page_errors.append(str(e)))
        return session

    yield make
    for context in contexts:
        context.close()


# The app is settled when Streamlit says its script has run and is not running (data-test-script-state, set by
# the frontend from the server's messages; "initial" until the first run ends), the connection is up, nothing
# is still loading, and every chart shown has drawn its SVG. The condition must hold at SETTLED_POLLS polls in a
# row, so a rerun asked for a moment ago (a click) is not mistaken for the run before it. On a busy machine this
# simply takes longer; there is no fixed pause.
SETTLED_POLLS = 3
_SETTLED_JS = """(needed) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const shownCharts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .filter(el => el.getClientRects().length > 0);
    const settled = !!app
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && shownCharts.every(el => el.querySelector('.js-plotly-plot .main-svg'));
    window.__atlasSettled = settled ? (window.__atlasSettled || 0) + 1 : 0;
    return window.__atlasSettled >= needed;
}"""


def wait_for_app(page, timeout_ms: int = WAIT_MS) -> None:
    """Until the script has finished running, nothing is still loading and every shown chart is drawn."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.evaluate("() => { window.__atlasSettled = 0; }")
    page.wait_for_function(_SETTLED_JS, arg=SETTLED_POLLS, polling=200, timeout=timeout_ms)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


_CONTRAST_JS = """(minimum) => {
    const rgba = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                                 return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    // The first opaque background behind the text's centre: an ancestor drawn elsewhere (a slider's thumb under
    // the value it carries above it) is not behind it. A scrolling container's box is its visible part only, so
    // with no ancestor around the centre the first opaque one counts, as before.
    const background = (el, x, y) => { let first = null;
        for (; el; el = el.parentElement) { const c = rgba(getComputedStyle(el).backgroundColor);
            if (!(c.length === 3 || c[3] > 0.5)) continue;
            first = first || c;
            const r = el.getBoundingClientRect();
            if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) return c; }
        return first || [255, 255, 255]; };
    const low = [];
    for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
        if (el.closest('svg')) continue;
        const own = el.tagName === 'INPUT' ? el.value : [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
        const box = el.getBoundingClientRect(), style = getComputedStyle(el);
        if (!own || box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
        // A slider's range input carries its value for assistive technology; the value is drawn beside the thumb.
        if (el.tagName === 'INPUT' && (el.type === 'range' || el.type === 'hidden' || style.opacity === '0')) continue;
        const fg = rgba(style.webkitTextFillColor || style.color), bg = background(el, box.left + box.width / 2, box.top + box.height / 2);
        const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        const ratio = (a + 0.05) / (b + 0.05);
        if (ratio < minimum) low.push(`${own.slice(0, 30)}: ${ratio.toFixed(1)}`);
    }
    return low;
}"""


def low_contrast_text(page, minimum: float = 4.5) -> list[str]:
    """Every visible piece of HTML text in the page's main area (input values too) whose contrast with the
    first opaque background behind it is under `minimum` (WCAG 2 ratio), as 'text: ratio'."""
    return page.evaluate(_CONTRAST_JS, minimum)
