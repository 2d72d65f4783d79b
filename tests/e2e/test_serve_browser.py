"""The app draws in a real Chromium through a real nginx in front of two replicas (tools/serve.py).

It uses the suite's one browser: a second sync Playwright cannot start while the session's is open.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import WAIT_MS

from support import serve_cluster

pytestmark = pytest.mark.skipif(
    not Path("/usr/sbin/nginx").exists() and not shutil.which("nginx"), reason="nginx not installed"
)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with serve_cluster(tmp_path_factory.mktemp("serve")) as running:
        yield running


def test_the_app_draws_in_chromium_through_the_proxy(cluster, open_session):
    session = open_session(1440, 900)
    page = session.page
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(cluster.url + "/", timeout=120_000)
    # Text only the script run can draw: it travels over the websocket, through nginx's upgrade.
    page.get_by_text("Filters").first.wait_for(timeout=120_000)
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.wait_for(timeout=WAIT_MS)
    assert any(u.endswith("/_stcore/stream") and f":{cluster.port}/" in u for u in sockets), sockets
    assert any(c["name"] == "atlas_replica" for c in page.context.cookies())
    assert session.blocked == []
