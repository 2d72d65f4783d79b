"""tools/serve.py: two real replicas behind a real nginx, sticky by cookie (the browser half is
tests/e2e/test_serve_browser.py: the app draws in Chromium through the proxy)."""

from __future__ import annotations

import http.cookiejar
import shutil
import urllib.request
from pathlib import Path

import pytest

from support import serve_cluster, serve_tool

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(not Path(NGINX).exists() and not shutil.which("nginx"), reason="nginx not installed")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with serve_cluster(tmp_path_factory.mktemp("serve")) as running:
        yield running


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
    serve = serve_tool()
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


def test_the_launch_flags_are_the_browser_tests_flags():
    from benchmarks.browser import LAUNCH_ARGS

    text = (ROOT / "tests" / "e2e" / "conftest.py").read_text()
    assert all(f'"{flag}"' in text for flag in LAUNCH_ARGS)
