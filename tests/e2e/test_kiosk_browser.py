"""Kiosk mode on a wall screen, in a real Chromium: no control visible, the keyboard works, the link's slide list is
honoured, and an import that lands while the briefing runs shows on the next slide with its new as-of time."""

from __future__ import annotations

import shutil

import duckdb
from conftest import TODAY, WAIT_MS, screenshot, start_server, stop_server, wait_for_app
from layout_check import measure, problems

from support import engagement, run_cli, write_csv

VISIBLE_CONTROLS = """() => [...document.querySelectorAll(
    'button, select, input, textarea, [role="combobox"], [role="listbox"], [data-testid="stToolbar"], ' +
    '[data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stPopover"], [data-testid="stDownloadButton"]')]
  .filter(el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.width <= 2 || r.height <= 2 || s.visibility === 'hidden' || s.display === 'none') return false;
    for (let e = el; e; e = e.parentElement) { const c = getComputedStyle(e).clipPath;
      if (c && c !== 'none') { const b = e.getBoundingClientRect(); if (b.width <= 2 || b.height <= 2) return false; } }
    return true; })
  .map(el => el.tagName + ' ' + (el.innerText || el.getAttribute('data-testid') || '').slice(0, 30))"""

SHOWN = """() => { const c = document.querySelector('.kiosk-status .counter'), h = document.querySelector('.slide-title');
  return (c ? c.innerText.trim() : '') + ' | ' + (h ? h.innerText.trim() : ''); }"""


def wait_shown(page, counter: str, title: str, timeout: int = WAIT_MS) -> None:
    page.wait_for_function(f"() => ({SHOWN})() === {f'{counter} | {title}'!r}", timeout=timeout)


def pause(page) -> None:
    """Pause the timer (the toggle then says Play), so the test moves the slides itself. The hidden toggle is clicked
    in the page once it is drawn (on a busy machine the bar's buttons come after the slide); the arrows test the
    keyboard."""
    toggle = "() => [...document.querySelectorAll('button')].find(b => /Pause|Play/.test(b.textContent))"
    page.wait_for_function(toggle, timeout=WAIT_MS)
    page.evaluate(f"() => {{ const b = ({toggle})(); if (b.textContent.includes('Pause')) b.click(); }}")
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some(b => b.textContent.includes('Play'))", timeout=WAIT_MS
    )


def no_error_on_the_wall(page) -> None:
    errors = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stException"], [data-testid="stAlert"]')]
        .map(e => e.innerText.slice(0, 80))""")
    assert errors == [], errors


def test_kiosk_hides_every_control_and_the_keyboard_follows_the_links_slides(server, open_session):
    session = open_session(1920, 1080)
    page = session.page
    page.goto(f"{server.url}/?mode=briefing&kiosk=1&slides=renewals,headline,country:MEX")
    wait_for_app(page)
    wait_shown(page, "1 / 3", "Renewals due in the next 12 months")
    pause(page)
    assert page.evaluate(VISIBLE_CONTROLS) == [], "kiosk shows no control"
    assert page.locator(".kiosk-progress").is_visible() and not page.locator(".slide-footer").count()
    status = page.locator(".kiosk-status").inner_text()
    assert "DEMO" in status and "Data as of" in status
    assert "Filters: " in status, "the wall says what its numbers are of"
    widths = [page.evaluate("() => document.querySelector('.kiosk-progress').getBoundingClientRect().width")]
    page.keyboard.press("ArrowRight")
    wait_shown(page, "2 / 3", "Partner activity at a glance")
    widths.append(page.evaluate("() => document.querySelector('.kiosk-progress').getBoundingClientRect().width"))
    assert 0 < widths[0] < widths[1] < 1920, "the progress line grows with the slides"
    page.keyboard.press("ArrowRight")
    wait_shown(page, "3 / 3", "Mexico")
    screenshot(page, "kiosk_country")
    page.keyboard.press("ArrowRight")
    wait_shown(page, "1 / 3", "Renewals due in the next 12 months")
    page.keyboard.press("ArrowLeft")
    wait_shown(page, "3 / 3", "Mexico")
    assert page.evaluate(VISIBLE_CONTROLS) == []
    assert "kiosk=1" in page.url and "slides=renewals" in page.url.replace("%2C", ",")
    no_error_on_the_wall(page)
    assert session.blocked == [] and session.page_errors == []


def test_an_import_while_the_briefing_runs_shows_on_the_next_slide(demo_db, open_session, tmp_path):
    db = tmp_path / "atlas.duckdb"
    shutil.copy(demo_db, db)
    # The wall shows the as-of time to the minute: date the build back so the import's time differs from it.
    con = duckdb.connect(str(db))
    con.execute(
        "UPDATE import_log SET started_at = started_at - INTERVAL 2 DAY, finished_at = finished_at - INTERVAL 2 DAY"
    )
    con.execute("UPDATE metadata SET value = '2026-11-28T09:00:00' WHERE key = 'built_at'")
    con.close()
    running = start_server(db, tmp_path / "streamlit.log")
    try:
        session = open_session(1920, 1080)
        page = session.page
        page.goto(f"{running.url}/?mode=briefing&kiosk=1&slides=headline,renewals")
        wait_for_app(page)
        wait_shown(page, "1 / 2", "Partner activity at a glance")
        pause(page)
        before = int(page.locator(".tile-value").first.inner_text().replace(",", ""))
        as_of = page.locator(".kiosk-status").inner_text()

        rows = [
            engagement(
                f"KIOSK-{i}",
                start_date="2026-11-20",
                end_date="2026-11-20",
                country="FRA",
                title=f"Kiosk import check {i}",
            )
            for i in range(3)
        ]
        result = run_cli(
            "import", "engagements", write_csv(tmp_path / "new.csv", rows), "--db", db, env={"ATLAS_TODAY": TODAY}
        )
        assert result.returncode == 0, result.stdout + result.stderr

        page.keyboard.press("ArrowRight")
        wait_shown(page, "2 / 2", "Renewals due in the next 12 months")
        no_error_on_the_wall(page)
        page.keyboard.press("ArrowRight")
        wait_shown(page, "1 / 2", "Partner activity at a glance")
        page.wait_for_function(
            "(n) => { const v = document.querySelector('.tile-value'); return v && v.innerText.replace(/,/g, '') === String(n); }",
            arg=before + 3,
            timeout=WAIT_MS,
        )
        assert page.locator(".kiosk-status").inner_text() != as_of, "the new as-of time is shown"
        no_error_on_the_wall(page)
        screenshot(page, "kiosk_after_import")
        assert session.page_errors == []
    finally:
        stop_server(running)


def test_an_outdated_database_pauses_the_wall_with_a_calm_slide_and_resumes(demo_db, open_session, tmp_path):
    db = tmp_path / "atlas.duckdb"
    shutil.copy(demo_db, db)
    con = duckdb.connect(str(db))
    version = con.execute("SELECT value FROM metadata WHERE key = 'schema_version'").fetchone()[0]
    con.execute("UPDATE metadata SET value = '0' WHERE key = 'schema_version'")  # built by an older Partner Atlas
    con.close()
    running = start_server(db, tmp_path / "streamlit.log")
    try:
        session = open_session(1920, 1080)
        page = session.page
        page.goto(f"{running.url}/?mode=briefing&kiosk=1&slides=headline,renewals,country:MEX")
        wait_for_app(page)
        wait_shown(page, "1 / 3", "Briefing paused")
        no_error_on_the_wall(page)
        assert "earlier version" in page.locator(".slide-bullets").inner_text()
        assert page.evaluate(VISIBLE_CONTROLS) == [], "kiosk shows no control, paused or not"
        found = measure(page, skip=".st-key-brief_controls")
        assert problems(found) == {} and found["texts"], problems(found)
        screenshot(page, "kiosk_paused")
        pause(page)
        page.keyboard.press("ArrowRight")  # the keyboard still works
        wait_shown(page, "2 / 3", "Briefing paused")
        no_error_on_the_wall(page)

        con = duckdb.connect(str(db))  # brought up to date: the wall resumes by itself, with the link's slides
        con.execute("UPDATE metadata SET value = ? WHERE key = 'schema_version'", [version])
        con.close()
        page.wait_for_function(
            "() => { const t = document.querySelector('.slide-title'); return t && !t.innerText.includes('paused'); }",
            timeout=WAIT_MS,
        )
        page.wait_for_function(  # each test tolerates the moment a rerun replaces the element
            "() => { const s = document.querySelector('.kiosk-status'); return s && s.innerText.includes('Data as of'); }",
            timeout=WAIT_MS,
        )
        assert page.locator(".kiosk-status .counter").inner_text().endswith("/ 3")
        no_error_on_the_wall(page)
        assert session.page_errors == []
    finally:
        stop_server(running)
