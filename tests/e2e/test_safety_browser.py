"""Safety in a real browser: hostile text never runs or injects elements; imports while sessions are
open succeed and every reader sees the data before or after, never half; uploads from the Data page."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import threading

import pytest
from conftest import ROOT, TODAY, WAIT_MS, screenshot, start_server, stop_server, wait_for_app

HOSTILE = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=2</script>",
    '"><svg onload="window.__xss=3">',
    "[click](javascript:window.__xss=4)",
    "**bold** $x$ <b>tag</b>",
]
PAGES = ["/", "/Activity_Map", "/Country_Profile?iso=CAN", "/Mission_Areas", "/Agreements", "/Data", "/Briefing"]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from atlas.data import build, ingest

    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "atlas.duckdb"
    build.build(db, with_demo=False)
    engagements = folder / "engagements.csv"
    with engagements.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "engagement_id",
                "title",
                "start_date",
                "country",
                "city",
                "mission_area",
                "summary",
                "engagement_type",
                "participants",
            ]
        )
        for i, text in enumerate(HOSTILE):
            for iso in ("CAN", "MEX", "SGP"):
                w.writerow([f"X{i}{iso}", text, f"2026-0{i + 1}-15", iso, text, "visa", text, "meeting", "3"])
    agreements = folder / "agreements.csv"
    with agreements.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "agreement_id",
                "title",
                "countries",
                "mission_area",
                "status",
                "date_signed",
                "date_in_force",
                "date_expires",
                "summary",
            ]
        )
        for i, text in enumerate(HOSTILE):
            w.writerow([f"XA{i}", text, "CAN;MEX", "visa", "in_force", "2025-12-10", "2026-01-10", "2027-01-10", text])
    for table, path in (("engagements", engagements), ("agreements", agreements)):
        assert ingest.import_file(path, table, db).outcome == "success"
    server = start_server(db, folder / "log.txt")
    yield server
    stop_server(server)


@pytest.mark.parametrize("path", PAGES)
def test_hostile_text_is_shown_as_text(hostile_server, open_session, path):
    session = open_session()
    page = session.page
    page.goto(hostile_server.url + path)
    wait_for_app(page)
    # Hover over every chart so plotly draws its hover labels with the hostile text.
    for chart in page.locator(".js-plotly-plot").all()[:3]:
        box = chart.bounding_box()
        if box:
            for dx in (0.3, 0.5, 0.7):
                page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] * 0.5)
                page.wait_for_timeout(200)
    assert page.evaluate("() => window.__xss === undefined"), "hostile text ran as script"
    injected = page.evaluate("""() => ({
        img: document.querySelectorAll('img[src="x"]').length,
        svg: [...document.querySelectorAll('svg[onload]')].length,
        js: [...document.querySelectorAll('a[href^="javascript:"]')].length,
        b: [...document.querySelectorAll('b')].filter(b => b.textContent === 'tag').length})""")
    assert injected == {"img": 0, "svg": 0, "js": 0, "b": 0}, injected
    assert session.page_errors == []
    assert session.blocked == []
    screenshot(page, "hostile_" + (re.sub(r"\W+", "_", path.strip("/")) or "overview"))


def _headline(page) -> str:
    return page.locator("[data-testid='stMetricValue']").first.inner_text()


def test_import_while_sessions_are_open(open_session, tmp_path):
    from atlas.data import build

    db = tmp_path / "atlas.duckdb"
    build.build(db, engagements=2000, agreements=100, seed=11)
    server = start_server(db, tmp_path / "log.txt")
    try:
        sessions = [open_session(1400, 1000) for _ in range(3)]
        for s in sessions:
            s.page.goto(server.url + "/")
            wait_for_app(s.page)
        before = _headline(sessions[0].page)
        # 300 new engagements in the current period, imported by the CLI while the pages keep working.
        new = tmp_path / "new.csv"
        with new.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["engagement_id", "title", "start_date", "country", "mission_area"])
            for i in range(300):
                w.writerow([f"NEW-{i}", f"New engagement {i}", "2026-06-15", "CAN", "visa"])
        env = dict(__import__("os").environ, ATLAS_DB=str(db), ATLAS_TODAY=TODAY)
        done = {}

        def run_import():
            done["result"] = subprocess.run(
                [sys.executable, "-m", "atlas", "import", "engagements", str(new)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )

        worker = threading.Thread(target=run_import)
        worker.start()
        seen = set()
        while worker.is_alive():
            for s in sessions:
                s.page.get_by_role("button", name="Reset filters").click()
                wait_for_app(s.page)
                seen.add(_headline(s.page))
        worker.join()
        result = done["result"]
        assert result.returncode == 0, result.stderr
        assert "inserted:         300" in result.stdout
        after = f"{int(before.replace(',', '')) + 300:,}"
        for s in sessions:  # open sessions pick up the new data without a restart
            s.page.get_by_role("button", name="Reset filters").click()
            wait_for_app(s.page)
            assert _headline(s.page) == after
            assert s.page_errors == [] and s.blocked == []
            assert "Traceback" not in s.page.content() and "IO Error" not in s.page.content()
        assert seen <= {before, after}, f"a reader saw partial data: {seen}"
        assert "Traceback" not in server.log.read_text()
    finally:
        stop_server(server)


def test_upload_check_then_import_from_the_data_page(open_session, tmp_path):
    from atlas.data import audit, build

    db = tmp_path / "atlas.duckdb"
    build.build(db, with_demo=False)
    server = start_server(db, tmp_path / "log.txt", extra_env={"ATLAS_ALLOW_UPLOAD": "1"})
    try:
        good = tmp_path / "engagements.csv"
        long_title = "A very long title " * 12
        good.write_text(
            "engagement_id,title,start_date,country,mission_area,component\n"
            "U1,Upload one,2026-05-01,Canada,Visa Security,ICE (HSI)\n"
            f"U2,{long_title.strip()},2026-05-02,Republic of Korea,cargo,CBP\n"
            "U3,Broken,2026-02-30,Narnia,nope,CBP\n",
            encoding="utf-8",
        )
        session = open_session()
        page = session.page
        page.goto(server.url + "/Data")
        wait_for_app(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(good))
        page.wait_for_selector("text=Check of engagements.csv", timeout=WAIT_MS)
        wait_for_app(page)
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "3 problem(s) in 1 row(s)" in body
        assert "impossible date '2026-02-30'" in body and "unknown country 'Narnia'" in body
        # every problem in a table that wraps: the whole message is on screen
        table = page.locator("[data-testid='stTable']").first
        assert (
            "unknown mission area 'nope' (use one of: visa, aviation, cargo, border, immigration, "
            "law_enforcement, counterterrorism)" in table.inner_text()
        )
        assert "Nothing to import" in body, "a file with invalid rows is not imported by default"
        # the preview and the countries resolved from names
        # (markdown draws "->" as an arrow)
        assert "Republic of Korea → South Korea (KOR), 1 row" in body and "Canada → Canada (CAN), 1 row" in body
        assert "The first 2 valid rows as they will be stored" in body
        screenshot(page, "data_upload_preview")
        page.get_by_text("Import the valid rows and set the invalid ones aside").click()
        wait_for_app(page)
        page.get_by_role("button", name="Import 2 engagements").click()
        page.wait_for_selector("text=Imported. Every open page now shows the new data.", timeout=WAIT_MS)
        page.wait_for_selector("text=Imported engagements from engagements.csv", timeout=WAIT_MS)
        screenshot(page, "data_import")
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "Imported engagements from engagements.csv" in body, body
        assert re.search(r"inserted:\s+2\b", body) and re.search(r"rejected:\s+1\b", body), body
        assert session.blocked == [] and session.page_errors == []
        entry = audit.read(db, 2)[0]
        assert (entry["action"], entry["outcome"], entry["file_name"]) == ("import", "partial", "engagements.csv")
        assert not any((tmp_path / ".atlas-uploads").iterdir()), "the imported upload is removed"
    finally:
        stop_server(server)


def test_the_data_page_does_not_import_without_sign_in_by_default(open_session, tmp_path):
    from atlas.data import build

    db = tmp_path / "atlas.duckdb"
    build.build(db, with_demo=False)
    server = start_server(db, tmp_path / "log.txt", extra_env={"ATLAS_ALLOW_UPLOAD": ""})
    try:
        session = open_session()
        page = session.page
        page.goto(server.url + "/Data")
        wait_for_app(page)
        page.wait_for_selector("text=Imports from this page are off", timeout=WAIT_MS)
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "Imports from this page are off" in body and "python -m atlas import" in body
        assert page.locator("[data-testid='stFileUploaderDropzoneInput']").count() == 0
        assert session.page_errors == []
    finally:
        stop_server(server)
