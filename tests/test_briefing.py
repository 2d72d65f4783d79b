"""Briefing mode: slides from the current filters, controls, what changed, and the exported files."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil

import pytest

from apptest_support import TODAY, app_env, fixture_db, run_page  # noqa: F401
from atlas.views import briefing, slides
from atlas.data.db import Database
from atlas.data.filters import Filters, default_filters

BRIEFING = "pages/6_Briefing.py"


def _html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def _counter(at) -> str:
    return re.search(r'class="counter">(\d+ / \d+)', _html(at)).group(1)


def test_briefing_opens_on_the_headline_slide(app_env):
    at = run_page(BRIEFING)
    assert not at.exception
    assert _counter(at) == "1 / 6"
    body = _html(at)
    assert "Partner activity at a glance" in body
    assert "<div class='tile-value'>10</div>" in body           # engagements, as on the overview
    assert "<div class='tile-value'>4</div>" in body            # agreements in force
    assert "+7 (+233%) vs previous period" in body
    assert "Data as of" in body and "Filters: 01 Dec 2025 – 30 Nov 2026" in body
    assert "DEMO" not in body, "the fixture has no demo records"


def test_next_previous_and_pause(app_env):
    at = run_page(BRIEFING)
    at.button(key="brief_next").click().run()
    assert _counter(at) == "2 / 6" and "Where we are active" in _html(at)
    assert at.get("plotly_chart"), "the map slide draws the world map"
    at.button(key="brief_prev").click().run()
    at.button(key="brief_prev").click().run()
    assert _counter(at) == "6 / 6", "previous from the first slide wraps to the last"
    assert at.session_state["brief_playing"] is True
    at.button(key="brief_toggle").click().run()
    assert at.session_state["brief_playing"] is False


def test_keyboard_shortcuts_are_bound(app_env):
    at = run_page(BRIEFING)
    shortcuts = {b.key: b.proto.shortcut for b in at.button if b.key and b.key.startswith("brief_")}
    assert shortcuts == {"brief_prev": "left", "brief_toggle": "space", "brief_next": "right"}


def test_timer_advances_only_while_playing(app_env):
    at = run_page(BRIEFING)
    at.session_state["brief_last"] = 0.0          # the interval has long passed
    at.run()
    assert _counter(at) == "2 / 6"
    at.button(key="brief_toggle").click().run()   # pause
    at.session_state["brief_last"] = 0.0
    at.run()
    assert _counter(at) == "2 / 6"


def test_briefing_carries_the_filters_and_makes_a_slide_per_area(app_env):
    # Opened from any page by URL: the overview hands over to the briefing with the same filters.
    at = run_page("dashboard.py", query={"mode": "briefing", "area": "visa,cargo", "country": "CAN"})
    assert not at.exception
    assert at.query_params["mode"] == "briefing" and at.query_params["area"] == "visa,cargo"
    assert _counter(at) == "1 / 7", "two area slides replace the mix slide"
    assert "<div class='tile-value'>2</div>" in _html(at)     # F-E01 visa, F-E03 cargo in Canada
    for _ in range(3):
        at.button(key="brief_next").click().run()
    assert "Visa Security" in _html(at)
    at.button(key="brief_next").click().run()
    assert "Cargo Security" in _html(at)


@pytest.fixture
def deck(fixture_db):
    db = Database.open(fixture_db)
    run = lambda name, f=None, **extra: db.query(name, (f.params() if f else {}) | extra)  # noqa: E731
    yield briefing.build_slides(run, default_filters(TODAY), since=dt.date(2025, 12, 1), as_of="30 Nov 2026")
    db.close()


def test_what_changed_since_is_computed_from_the_records(fixture_db):
    db = Database.open(fixture_db)
    run = lambda name, f=None, **extra: db.query(name, (f.params() if f else {}) | extra)  # noqa: E731
    changes = briefing.what_changed(run, default_filters(TODAY), dt.date(2026, 10, 1))
    # Since 1 Oct 2026: F-E12 (30 Nov); F-E08 is restricted; F-E18 is in the future.
    assert list(changes.new_engagements.engagement_id) == ["F-E12"]
    assert [(r.agreement_id, r.status) for r in changes.status_changes.itertuples()] == \
        [("F-A5", "signed"), ("F-A3", "expired")]
    assert list(changes.new_countries.iso3) == [], "Germany was engaged in the year before (F-E11)"
    assert list(changes.expiring.agreement_id) == ["F-A8"]      # expires 20 Dec, within 90 days
    # Since 1 Jul 2026: Singapore (F-E09) and Japan (F-E10) had no engagement in the year before.
    changes = briefing.what_changed(run, default_filters(TODAY), dt.date(2026, 7, 1))
    assert list(changes.new_countries.iso3) == ["SGP", "JPN"]
    db.close()


def test_slides_are_built_only_when_shown(deck):
    assert len(deck) == 6 and deck._built == {}
    assert deck.slide(1).key == "map" and list(deck._built) == [1]


def test_slides_state_filters_as_of_sources_and_demo(deck):
    assert [s.key for s in deck.slides] == ["headline", "map", "partners", "areas", "agreements", "changes"]
    footer = deck.footer(deck.slides[1])
    assert "Filters: 01 Dec 2025 – 30 Nov 2026" in footer and "Data as of 30 Nov 2026" in footer
    assert "Natural Earth" in footer
    assert not deck.demo and "DEMO" not in footer
    demo_deck = briefing.Deck([lambda s=s: s for s in deck.slides], deck.filters_text, deck.as_of, demo=True)
    assert "DEMO DATA" in demo_deck.footer(deck.slides[0])


@pytest.mark.skipif(not shutil.which("chromium") and not __import__("os").path.exists("/usr/bin/chromium"),
                    reason="chart images need Chromium (apt-get install -y chromium)")
def test_export_pptx_and_pdf_read_back(deck):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    pptx_bytes, pdf_bytes = slides.export(deck)
    presentation = Presentation(io.BytesIO(pptx_bytes))
    assert len(presentation.slides) == len(deck.slides) == 6
    titles = [s.shapes.title.text for s in presentation.slides]
    assert titles == [s.title for s in deck.slides]
    for page in presentation.slides:
        assert any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in page.shapes)
        texts = " ".join(shape.text_frame.text for shape in page.shapes if shape.has_text_frame)
        assert "Data as of 30 Nov 2026" in texts and "Filters:" in texts
    assert pdf_bytes.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf_bytes)) == 6


def test_text_from_the_data_is_escaped_on_slides():
    evil = briefing.Slide("x", "t", bullets=["<img src=x onerror=alert(1)>"], numbers=[briefing.Number("<b>", "1")])
    assert "<img" not in slides.bullets_html(evil.bullets) and "&lt;img" in slides.bullets_html(evil.bullets)
    assert "<b>" not in slides.numbers_html(evil.numbers)
