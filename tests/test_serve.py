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
        "proxy_pass http://$atlas_upstream;",
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
    ):
        assert line in conf
    assert all(f"server 127.0.0.1:{p} " in conf for p in cluster.replica_ports)


def test_a_browser_stays_on_one_replica_and_new_browsers_take_turns(cluster):
    """Sticky by the cookie naming the replica; new browsers split evenly (round robin, not a random pick)."""
    names = {f"127.0.0.1:{p}": f"r{i}" for i, p in enumerate(cluster.replica_ports)}
    seen: list[str] = []
    for _ in range(12):
        cookies, upstreams = _browser_visits(cluster.url, 3)
        assert len(set(upstreams)) == 1, upstreams  # sticky: the cookie picks the replica
        assert cookies == [f"atlas_replica={names[upstreams[0]]}"]
        seen.append(upstreams[0])
    assert sorted(seen.count(addr) for addr in names) == [6, 6], seen


def _visit(url: str, cookie: str) -> tuple[str, str | None]:
    request = urllib.request.Request(url + "/", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers["X-Atlas-Upstream"], response.headers.get("Set-Cookie")


def test_the_cookie_names_the_replica_and_a_stale_one_is_replaced(cluster):
    for i, port in enumerate(cluster.replica_ports):
        for _ in range(3):
            assert _visit(cluster.url, f"atlas_replica=r{i}") == (f"127.0.0.1:{port}", None)
    # A cookie from another layout (a random value of the earlier proxy, or a replica since removed).
    upstream, set_cookie = _visit(cluster.url, "atlas_replica=0f3a9c")
    names = {f"127.0.0.1:{p}": f"r{i}" for i, p in enumerate(cluster.replica_ports)}
    assert set_cookie is not None and set_cookie.startswith(f"atlas_replica={names[upstream]};")


def test_the_launch_flags_are_the_browser_tests_flags():
    from benchmarks.browser import LAUNCH_ARGS

    text = (ROOT / "tests" / "e2e" / "conftest.py").read_text()
    assert all(f'"{flag}"' in text for flag in LAUNCH_ARGS)


def test_only_other_addresses_are_routed_and_blocked():
    from benchmarks.browser import NOT_LOCAL

    for url in ("http://127.0.0.1:8501/", "ws://127.0.0.1:8501/_stcore/stream", "data:image/png;base64,", "blob:x"):
        assert not NOT_LOCAL.search(url), url
    for url in ("https://tile.openstreetmap.org/1/1/1.png", "http://localhost:8501/", "http://127.0.0.1.example/"):
        assert NOT_LOCAL.search(url), url


def test_a_browser_whose_replica_stopped_goes_on_to_another(tmp_path):
    """The replica a cookie names is down: its browsers are answered by the other (its backup), the rest stay."""
    with serve_cluster(tmp_path) as running:
        first, second = running.processes[0], running.replica_ports[1]
        first.terminate()
        first.wait(timeout=30)
        for cookie in ("atlas_replica=r0", "atlas_replica=r1"):
            assert _visit(running.url, cookie)[0].endswith(f":{second}")


def test_the_site_file_routes_as_the_generated_config_does():
    """deploy/atlas-site.conf (two replicas on 8501 and 8502) holds the blocks tools/serve.py writes for them."""
    site = {line.strip() for line in (ROOT / "deploy" / "atlas-site.conf").read_text().splitlines()}
    generated = serve_tool().routing(["127.0.0.1:8501", "127.0.0.1:8502"]).splitlines()
    assert [line for line in generated if line.strip() not in site] == []
    assert "proxy_pass http://$atlas_upstream;" in site
