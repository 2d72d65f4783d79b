"""tools/serve.py: two real replicas behind a real nginx, sticky by cookie, the app loads through the proxy."""

from __future__ import annotations

import http.cookiejar
import importlib.util
import shutil
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(not Path(NGINX).exists() and not shutil.which("nginx"), reason="nginx not installed")


def _serve():
    spec = importlib.util.spec_from_file_location("atlas_serve", ROOT / "tools" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from atlas.data import build

    folder = tmp_path_factory.mktemp("serve")
    db = folder / "atlas.duckdb"
    build.build(db, engagements=2000, agreements=100, seed=7)
    running = _serve().start(2, db=db, work=folder / "work", env={"ATLAS_TODAY": "2026-11-30"})
    yield running
    running.stop()
    assert all(p.poll() is not None for p in running.processes)


def _browser_visits(url: str, n: int) -> tuple[list[str], list[str]]:
    """n requests with one cookie jar: the cookies it ends up with and the replica that answered each."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    upstreams = []
    for _ in range(n):
        with opener.open(url + "/", timeout=30) as response:
            assert response.status == 200
            assert b"<noscript>" in response.read()  # Streamlit's page
            upstreams.append(response.headers["X-Atlas-Upstream"])
    return [f"{c.name}={c.value}" for c in jar], upstreams


def test_the_proxy_and_every_replica_are_healthy(cluster):
    serve = _serve()
    assert serve.healthy(cluster.url + serve.HEALTH)
    for port in cluster.replica_ports:
        assert serve.healthy(f"http://127.0.0.1:{port}{serve.HEALTH}")
    conf = (cluster.work / "nginx.conf").read_text()
    for line in (
        "daemon off;",
        "hash $atlas_replica consistent;",
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
    ):
        assert line in conf
    assert all(f"server 127.0.0.1:{p} " in conf for p in cluster.replica_ports)


def test_a_browser_stays_on_one_replica_and_browsers_spread_over_both(cluster):
    seen = set()
    for _ in range(12):
        cookies, upstreams = _browser_visits(cluster.url, 3)
        assert len(cookies) == 1 and cookies[0].startswith("atlas_replica=")
        assert len(set(upstreams)) == 1, upstreams  # sticky: the cookie picks the replica
        seen.add(upstreams[0])
    assert seen == {f"127.0.0.1:{p}" for p in cluster.replica_ports}


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium not installed")
def test_the_app_draws_in_chromium_through_the_proxy(cluster):
    from playwright.sync_api import sync_playwright

    from benchmarks.browser import LAUNCH_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            sockets = []
            page.on("websocket", lambda ws: sockets.append(ws.url))
            page.goto(cluster.url + "/", timeout=120_000)
            # Text only the script run can draw: it travels over the websocket, through nginx's upgrade.
            page.get_by_text("Filters").first.wait_for(timeout=120_000)
            page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.wait_for(timeout=60_000)
            assert any(u.endswith("/_stcore/stream") and f":{cluster.port}/" in u for u in sockets), sockets
            assert any(c["name"] == "atlas_replica" for c in page.context.cookies())
        finally:
            browser.close()


def test_the_launch_flags_are_the_browser_tests_flags():
    from benchmarks.browser import LAUNCH_ARGS

    text = (ROOT / "tests" / "e2e" / "conftest.py").read_text()
    assert all(f'"{flag}"' in text for flag in LAUNCH_ARGS)
