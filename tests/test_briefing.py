"""Briefing mode: slides from the current filters, controls, what changed, and the exported files."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from apptest_support import TODAY, run_page
from atlas.data import vocab
from atlas.data.db import Database
from atlas.data.filters import default_filters
from atlas.views import briefing, slides
from atlas.views.slide import display_title, month_label, partner_names

BRIEFING = "pages/6_Briefing.py"


def _html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def _tiles(at) -> list[str]:
    """The values in the slide's number tiles, in order."""
    return re.findall(r"class='tile-value'[^>]*>([^<]*)</div>", _html(at))


def _counter(at) -> str:
    return re.search(r'class="counter">(\d+ / \d+)', _html(at)).group(1)


def test_briefing_opens_on_the_headline_slide(app_env):
    at = run_page(BRIEFING)
    assert not at.exception
    assert _counter(at) == "1 / 7"
    body = _html(at)
    assert "Partner activity at a glance" in body
    assert "10" in _tiles(at)  # engagements, as on the overview
    assert "4" in _tiles(at)  # agreements in force
    assert "+7 (+233%)" in body and "previous period of equal length" in body
    assert "Data as of" in body and "Filters: 01 Dec 2025 – 30 Nov 2026" in body
    assert "DEMO" not in body, "the fixture has no demo records"


def test_next_previous_and_pause(app_env):
    at = run_page(BRIEFING)
    at.button(key="brief_next").click().run()
    assert _counter(at) == "2 / 7" and "Where we are active" in _html(at)
    assert at.get("plotly_chart"), "the map slide draws the world map"
    at.button(key="brief_prev").click().run()
    at.button(key="brief_prev").click().run()
    assert _counter(at) == "7 / 7", "previous from the first slide wraps to the last"
    assert at.session_state["brief_playing"] is True
    at.button(key="brief_toggle").click().run()
    assert at.session_state["brief_playing"] is False


def test_keyboard_shortcuts_are_bound(app_env):
    at = run_page(BRIEFING)
    shortcuts = {b.key: b.proto.shortcut for b in at.button if b.key and b.key.startswith("brief_")}
    assert shortcuts == {"brief_prev": "left", "brief_toggle": "space", "brief_next": "right"}


def test_timer_advances_only_while_playing(app_env):
    at = run_page(BRIEFING)
    at.session_state["brief_last"] = 0.0  # the interval has long passed
    at.run()
    assert _counter(at) == "2 / 7"
    at.button(key="brief_toggle").click().run()  # pause
    at.session_state["brief_last"] = 0.0
    at.run()
    assert _counter(at) == "2 / 7"


def test_briefing_carries_the_filters_and_makes_a_slide_per_area(app_env):
    # Opened from any page by URL: the overview hands over to the briefing with the same filters.
    at = run_page("dashboard.py", query={"mode": "briefing", "area": "visa,cargo", "country": "CAN"})
    assert not at.exception
    assert at.query_params["mode"] == "briefing" and at.query_params["area"] == "visa,cargo"
    assert _counter(at) == "1 / 8", "two area slides replace the mix slide"
    assert "2" in _tiles(at)  # F-E01 visa, F-E03 cargo in Canada
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
    assert [(r.agreement_id, r.status) for r in changes.status_changes.itertuples()] == [
        ("F-A5", "signed"),
        ("F-A3", "expired"),
    ]
    assert list(changes.new_countries.iso3) == [], "Germany was engaged in the year before (F-E11)"
    assert list(changes.expiring.agreement_id) == ["F-A8"]  # expires 20 Dec, within 90 days
    # Since 1 Jul 2026: Singapore (F-E09) and Japan (F-E10) had no engagement in the year before.
    changes = briefing.what_changed(run, default_filters(TODAY), dt.date(2026, 7, 1))
    assert list(changes.new_countries.iso3) == ["SGP", "JPN"]
    db.close()


def test_slides_are_built_only_when_shown(deck):
    assert len(deck) == 7 and deck._built == {}
    assert deck.slide(1).key == "map" and list(deck._built) == [1]


def test_slides_state_filters_as_of_sources_and_demo(deck):
    assert [s.key for s in deck.slides] == ["headline", "map", "partners", "areas", "agreements", "renewals", "changes"]
    footer = deck.footer(deck.slides[1])
    assert "Filters: 01 Dec 2025 – 30 Nov 2026" in footer and "Data as of 30 Nov 2026" in footer
    assert "Natural Earth" in footer
    assert not deck.demo and "DEMO" not in footer
    demo_deck = briefing.Deck([lambda s=s: s for s in deck.slides], deck.filters_text, deck.as_of, demo=True)
    assert "DEMO DATA" in demo_deck.footer(deck.slides[0])


def test_every_slide_says_how_its_numbers_count_records_with_several_partners(deck, fixture_db):
    """As every page does (vocab.COUNTING): totals once, per-country figures for each partner country."""
    expected = {
        "headline": ("both", "engagement"),
        "map": ("per_country", "engagement"),
        "partners": ("per_country", "engagement"),
        "areas": ("total", "engagement"),
        "agreements": ("total", "agreement"),
        "renewals": ("total", "agreement"),
        "changes": ("total", "engagement"),
    }
    for s in deck.slides:
        counting, noun = expected[s.key]
        assert s.note and s.note.endswith(vocab.counting_note(counting, noun)), (s.key, s.note)
    db = Database.open(fixture_db)
    run = lambda name, f=None, **extra: db.query(name, (f.params() if f else {}) | extra)  # noqa: E731
    try:
        f = default_filters(TODAY)
        extra = briefing.build_slides(
            run, f, since=dt.date(2025, 12, 1), as_of="30 Nov 2026", keys=["area:cargo", "country:CAN"]
        )
        notes = {s.key: s.note for s in extra.slides}
    finally:
        db.close()
    assert notes["area_cargo"].endswith(vocab.counting_note("both")), notes
    assert notes["country_CAN"].endswith(vocab.counting_note("per_country")), notes


def test_text_from_the_data_is_escaped_on_slides():
    evil = briefing.Slide("x", "t", bullets=["<img src=x onerror=alert(1)>"], numbers=[briefing.Number("<b>", "1")])
    assert "<img" not in slides.bullets_html(evil.bullets) and "&lt;img" in slides.bullets_html(evil.bullets)
    assert "<b>" not in slides.numbers_html(evil.numbers)


def test_the_links_slide_list_is_honoured_in_order(app_env):
    at = run_page(BRIEFING, query={"mode": "briefing", "slides": "map,country:CAN,headline,nonsense", "area": "visa"})
    assert not at.exception
    assert _counter(at) == "1 / 3" and "Where we are active" in _html(at)
    at.button(key="brief_next").click().run()
    assert "<h1 class='slide-title'>Canada</h1>" in _html(at)
    assert "1" in _tiles(at)  # F-E01: Canada's one visa engagement
    at.button(key="brief_next").click().run()
    assert "Partner activity at a glance" in _html(at)
    # The slide list and the filters stay in the URL, so the link replays the same briefing.
    assert at.query_params["slides"] == "map,country:CAN,headline"
    assert at.query_params["area"] == "visa" and at.query_params["mode"] == "briefing"


def test_picking_slides_writes_them_into_the_url(app_env):
    at = run_page(BRIEFING)
    at.multiselect(key="brief_pick").set_value(["changes", "area:cargo"]).run()
    assert not at.exception
    assert at.query_params["slides"] == "changes,area:cargo"
    assert _counter(at) == "1 / 2" and "What changed since" in _html(at)


def test_kiosk_hides_the_controls_but_keeps_the_keyboard(app_env):
    at = run_page(BRIEFING, query={"mode": "briefing", "kiosk": "1"})
    assert not at.exception
    assert at.query_params["kiosk"] == "1"
    shortcuts = {b.key: b.proto.shortcut for b in at.button if b.key and b.key.startswith("brief_")}
    assert shortcuts == {"brief_prev": "left", "brief_toggle": "space", "brief_next": "right"}
    assert not at.selectbox and not at.get("download_button") and not at.get("multiselect")
    body = _html(at)
    assert "kiosk-status" in body and "kiosk-progress" in body and "<div class='slide-footer'>" not in body
    status = re.search(r"<div class='kiosk-status'>(.*?)</div>", body).group(1)
    assert "Filters: 01 Dec 2025 – 30 Nov 2026" in status and "Data as of" in status
    many = run_page(BRIEFING, query={"mode": "briefing", "kiosk": "1", "country": "CAN,MEX,GBR,FRA"})
    status = re.search(r"<div class='kiosk-status'>(.*?)</div>", _html(many)).group(1)
    assert "Canada, Mexico +2 more" in status, status
    assert ".st-key-brief_controls { position: absolute" in body, "the controls are visually hidden"
    at.button(key="brief_next").click().run()
    assert re.search(r"class='counter'>2 / 7<", _html(at))


def test_the_wall_shows_a_calm_slide_when_the_data_is_away(app_env, monkeypatch, tmp_path):
    at = run_page(BRIEFING, query={"mode": "briefing", "kiosk": "1"})
    assert "Partner activity at a glance" in _html(at)
    monkeypatch.setenv("ATLAS_DB", str(tmp_path / "being-swapped.duckdb"))
    at.button(key="brief_next").click().run()
    assert not at.exception and not at.error
    assert "Partner activity at a glance" in _html(at), "the last good slide stays up"


def test_slide_keys_parse_in_order_and_drop_unknowns():
    f = __import__("atlas.data.filters", fromlist=["x"]).default_filters(TODAY)
    keys, notices = briefing.parse_keys("Map,area:VISA,country:mexico,bogus,map", f)
    assert keys == ["map", "area:visa", "country:MEX"]
    assert notices == ["Ignored unknown slide(s) in the link: bogus"]
    assert briefing.parse_keys("", f)[0] == briefing.default_keys(f)


def test_titles_lose_party_codes_and_name_partners():
    assert display_title("Joint Statement on Cargo (USA-BLZ-CRI-GTM-HND-PAN-SLV)") == "Joint Statement on Cargo"
    assert display_title("Visa talks (2026)") == "Visa talks (2026)"
    assert partner_names("Belize; Costa Rica; United States") == "Belize and Costa Rica"
    assert partner_names("Belize; Costa Rica; Guatemala; Panama") == "Belize, Costa Rica and 2 more"


def test_the_running_month_is_marked_to_date():
    assert month_label("2026-11-01", dt.date(2026, 11, 15)) == "Nov 2026 (to date)"
    assert month_label("2026-10-01", dt.date(2026, 11, 15)) == "Oct 2026"
    assert month_label("2026-11-01", dt.date(2026, 11, 30)) == "Nov 2026", "a month that is over is whole"


def test_chart_text_is_large_and_axes_make_room(deck):
    for slide in deck.slides:
        if slide.figure is None:
            continue
        fig = briefing.style(slide.figure)
        assert fig.layout.font.size >= 24 and fig.layout.legend.font.size >= 24
        for axis in (fig.layout.xaxis, fig.layout.yaxis):
            assert axis.tickfont.size >= 24 and axis.title.font.size >= 24 and axis.automargin is True
    labels = [t for t in deck.slide(1).figure.data if t.type == "scattergeo" and t.mode == "markers+text"]
    assert labels and labels[0].text[0] == "Canada 3", "the map names its leading countries"


def test_projector_colours_are_the_mission_area_colours_made_bright_enough_for_the_navy(deck):
    from atlas.data import vocab

    assert set(briefing.AREA_COLOURS) == set(vocab.MISSION_AREA_COLOURS)
    for code, colour in briefing.AREA_COLOURS.items():
        page = vocab.MISSION_AREA_COLOURS[code]
        assert briefing.contrast(colour, briefing.BACKGROUND) >= 3, (code, colour)
        if briefing.contrast(page, briefing.BACKGROUND) >= 4.5:
            assert colour == page, "a colour bright enough already is kept"
    assert (
        briefing.contrast(vocab.MISSION_AREA_COLOURS["visa"], briefing.BACKGROUND) < 4.5
        and briefing.AREA_COLOURS["visa"] != vocab.MISSION_AREA_COLOURS["visa"]
    ), "visa blue is brightened"
    assert briefing.contrast(briefing.lighten("#101c38"), briefing.BACKGROUND) >= 3  # even navy on navy
    # On screen (plotly) and in the files (native charts) alike.
    fig = briefing.style(deck.slide(0).figure)
    drawn = {t.name: t.marker.color for t in fig.data if t.type == "bar"}
    assert drawn["Visa Security"] == briefing.AREA_COLOURS["visa"]
    assert deck.slide(0).chart.colours[0] == briefing.AREA_COLOURS["visa"]


def test_the_partial_month_note_sits_below_the_tick_labels_inside_the_figure():
    from atlas.views import figures

    months = pd.date_range("2025-12-01", "2026-12-01", freq="MS")
    monthly = pd.DataFrame({"month": months, "mission_area": "visa", "engagements": 5})
    page = figures.area_mix_over_time(
        monthly, today=dt.date(2026, 12, 2), period=(dt.date(2025, 12, 3), dt.date(2026, 12, 2))
    )
    fig = briefing.style(page, height=700)
    (note,) = [a for a in fig.layout.annotations if "Partial month" in a.text]
    size = note.font.size
    assert size >= 24
    # Below the tick row (one line of 24 px type and its padding), and the whole line inside the bottom margin.
    assert -note.yshift >= size * 1.5, "the note would run over the month labels"
    assert fig.layout.margin.b >= -note.yshift + size * 1.3, "the note would be cut off at the figure's edge"


def test_a_month_the_period_starts_in_late_is_marked_in_the_files():
    start = dt.date(2025, 12, 3)
    assert month_label("2025-12-01", dt.date(2026, 12, 2), start) == "Dec 2025 (from 3)"
    assert month_label("2026-01-01", dt.date(2026, 12, 2), start) == "Jan 2026"
    assert month_label("2025-12-01", dt.date(2026, 12, 2), dt.date(2025, 12, 1)) == "Dec 2025", "a whole month"
    f = default_filters(dt.date(2026, 12, 2))
    monthly = pd.DataFrame(
        {"month": pd.date_range(f.start, f.today, freq="MS"), "mission_area": "visa", "engagements": 1}
    )
    categories = briefing.monthly_chart(monthly, f, "column").categories
    assert f.start == dt.date(2025, 12, 3) and categories[0] == "Dec 2025 (from 3)", (f.start, categories[0])
    assert categories[-1].endswith("(to date)")
