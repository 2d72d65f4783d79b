"""Briefing-mode glue: the slides for the session's filters and the link's slide list, kiosk mode, their files,
the country brief's download, and the wall-screen styles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
from dataclasses import dataclass

import streamlit as st

from atlas import config
from atlas.app import marks
from atlas.app.session import _database, as_of_text, database, query
from atlas.app.state import URL_SEEN, _write_url, current_filters, since_date, url_extras
from atlas.app.viewer import viewer_rank
from atlas.data import filters as flt
from atlas.data.db import Database, file_signature
from atlas.data.schema import OutdatedDatabase
from atlas.views import briefing, country_brief, slides

LOG = logging.getLogger(__name__)
STAGE_W, STAGE_H = 1920, 1080  # every slide is laid out in this frame, then scaled to the screen
SLIDES = "brief_slides"  # the slide list as the URL carries it ('' for the usual deck)
SLIDES_SEEN = "brief_slides_seen"  # the URL's slide list last adopted
KIOSK = "brief_kiosk"  # kiosk mode, from the link
LAST_GOOD = "brief_last_good"  # the last slide drawn without error, shown while the data is refreshed


@dataclass(frozen=True)
class View:
    """How the briefing is shown: the slide keys in order, kiosk or not, and what the link got wrong."""

    keys: tuple[str, ...]
    kiosk: bool
    notices: tuple[str, ...] = ()


def briefing_filters() -> flt.Filters:
    """The session's filters for the briefing, which draws no sidebar; the URL keeps ?mode=briefing,
    the slide list (&slides=) and kiosk (&kiosk=1)."""
    f = current_filters("briefing")
    _adopt_link(f)
    write_briefing_url(f)
    return f


def _adopt_link(f: flt.Filters) -> None:
    # Opened as /?mode=briefing&..., the overview hands over to this page and the URL is emptied on the way:
    # the link as last seen (state.URL_SEEN) still holds its slide list and kiosk flag.
    link = st.query_params.to_dict() or st.session_state.get(URL_SEEN) or {}
    st.session_state[KIOSK] = str(link.get("kiosk", "")) in ("1", "true", "yes")
    url = str(link.get("slides", ""))
    if url != st.session_state.get(SLIDES_SEEN):
        keys, _ = briefing.parse_keys(url, f)
        st.session_state[SLIDES] = ",".join(keys) if url else ""  # as the link gave them, minus unknown ones


def wall_notice() -> briefing.Slide | None:
    """A calm slide saying why the briefing is paused when the database cannot be read at all (missing, built by
    another version, damaged), or None when it can. The wall never shows an error page."""
    path = config.db_path()
    try:
        _database(str(path), file_signature(path))
        return None
    except FileNotFoundError:
        why = "No data has been installed on this screen yet."
    except OutdatedDatabase:
        why = "The data was prepared by an earlier version of Partner Atlas and is waiting to be brought up to date."
    except Exception:  # noqa: BLE001 – a damaged or half-written file: the wall still shows a calm slide
        why = "The data cannot be read right now."
    LOG.warning("briefing paused: %s (%s)", why, path)
    return briefing.Slide(
        "paused",
        "Briefing paused",
        bullets=[why, "The briefing resumes by itself as soon as the data is ready."],
        sources="—",
        note="For the data team: python -m atlas upgrade (or make run) brings the database up to date.",
    )


def paused_filters() -> flt.Filters:
    """Filters for the paused wall (no data to read them against): the defaults, the link's slides and kiosk flag."""
    f = dataclasses.replace(flt.default_filters(config.today()), max_rank=viewer_rank())
    _adopt_link(f)
    return f


def write_briefing_url(f: flt.Filters) -> None:
    extra = url_extras("briefing") | {"slides": st.session_state.get(SLIDES, ""), "kiosk": "1" if kiosk() else ""}
    _write_url(f, extra)
    st.session_state[SLIDES_SEEN] = extra["slides"]


def kiosk() -> bool:
    return bool(st.session_state.get(KIOSK))


def briefing_view(f: flt.Filters) -> View:
    keys, notices = briefing.parse_keys(st.session_state.get(SLIDES, ""), f)
    return View(tuple(keys), kiosk(), tuple(notices))


def choose_slides(f: flt.Filters, keys: list[str]) -> None:
    """Adopt a picked slide list (in the order picked) and keep it in the URL; the usual deck needs no key."""
    chosen = ",".join(keys) if keys and keys != briefing.default_keys(f) else ""
    st.session_state[SLIDES] = chosen
    write_briefing_url(f)


def slide_options(f: flt.Filters, chosen: tuple[str, ...]) -> list[str]:
    """Every slide one can pick: the fixed ones, each mission area, each country."""
    from atlas.data import vocab

    countries = query("countries_list")
    options = list(briefing.SIMPLE_KEYS) + [f"area:{m.code}" for m in vocab.MISSION_AREAS]
    options += [f"country:{iso}" for iso in countries.iso3]
    return list(dict.fromkeys([*chosen, *options]))


def briefing_deck(f: flt.Filters, keys: tuple[str, ...] | None = None) -> briefing.Deck:
    """The slides for these filters and keys, built once per filters/date/keys/database generation in this session
    (an import changes the signature, so the next slide shown reads the new data)."""
    since = since_date(f)
    keys = tuple(keys) if keys is not None else tuple(briefing.default_keys(f))
    key = (f, since, keys, database().signature)
    cached = st.session_state.get("brief_deck")
    if not cached or cached[0] != key:
        deck = briefing.build_slides(query, f, since=since, as_of=as_of_text(), keys=keys)
        st.session_state["brief_deck"] = cached = (key, deck)
    return cached[1]


def safe_slide(f: flt.Filters, view: View, index: int) -> tuple[briefing.Deck | None, briefing.Slide]:
    """The deck and its slide `index`, or, when the data cannot be read right now (an import swapping the
    file, a query failing), the last good slide or a calm 'being refreshed' slide: never an error page."""
    notice = wall_notice()
    if notice is not None:
        st.session_state.pop("brief_deck", None)
        away = not config.db_path().exists()  # an import swapping the file: the last good slide stays up
        return None, (st.session_state.get(LAST_GOOD) if away else None) or notice
    try:
        deck = briefing_deck(f, view.keys)
        slide = deck.slide(index % len(deck))
        st.session_state[LAST_GOOD] = slide
        return deck, slide
    except Exception:  # noqa: BLE001 – the wall must keep showing something
        LOG.exception("briefing slide %s could not be built", index)
        st.session_state.pop("brief_deck", None)
        last = st.session_state.get(LAST_GOOD)
        return None, last or briefing.Slide(
            "refreshing", "Data being refreshed", bullets=["The briefing continues as soon as the new data is in."]
        )


@functools.lru_cache(maxsize=4)
def _export_files(
    path: str, signature: tuple, f: flt.Filters, since: dt.date, as_of: str, keys: tuple[str, ...]
) -> tuple[bytes, bytes]:
    # Runs when a download is clicked, outside the script run: no session state, plain queries.
    db = Database.open(path)
    try:
        deck = briefing.build_slides(_runner(db), f, since=since, as_of=as_of, keys=keys)
        return slides.export(deck)
    finally:
        db.close()


def _runner(db: Database):
    return lambda name, filters=None, **extra: db.query(name, (filters.params() if filters else {}) | extra)


def briefing_downloads(f: flt.Filters, deck: briefing.Deck) -> None:
    """.pptx (native text and charts) and .pdf (text layer) of the current slides, built on click, offline."""
    db = database()
    args = (str(db.path), db.signature, f, since_date(f), deck.as_of, tuple(deck.keys))
    token = marks.session_token()  # the download runs outside the script run: take it now
    cols = st.columns(2)
    cols[0].download_button(
        ".pptx",
        icon=":material/download:",
        data=lambda: marks.exported(_export_files(*args)[0], "pptx", token),
        file_name="partner-atlas-briefing.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="brief_pptx",
        on_click="ignore",
        width="stretch",
    )
    cols[1].download_button(
        ".pdf",
        icon=":material/download:",
        data=lambda: marks.exported(_export_files(*args)[1], "pdf", token),
        file_name="partner-atlas-briefing.pdf",
        mime="application/pdf",
        key="brief_pdf",
        on_click="ignore",
        width="stretch",
    )


@functools.lru_cache(maxsize=8)
def _country_brief(path: str, signature: tuple, f: flt.Filters, iso3: str, as_of: str) -> bytes:
    db = Database.open(path)
    try:
        return country_brief.build(_runner(db), f, iso3, as_of=as_of)
    finally:
        db.close()


def country_brief_download(f: flt.Filters, iso3: str, *, key: str = "country_brief") -> None:
    """One click: a printable 1-2 page PDF brief on this country for a bilateral meeting (offline)."""
    db = database()
    args = (str(db.path), db.signature, f, iso3, as_of_text())
    st.download_button(
        "Country brief (PDF)",
        icon=":material/picture_as_pdf:",
        data=lambda: _country_brief(*args),
        file_name=f"partner-atlas-brief-{iso3}.pdf",
        mime="application/pdf",
        key=key,
        on_click="ignore",
        help="Headline numbers, trend, agreements and renewals, engagements, "
        "programmes with sources and the region comparison, on one or two printable pages.",
    )


def scale_script() -> str:
    """Scales the 1920x1080 slide frame to the window (letterboxed), as a presentation does."""
    return f"""<script>
(() => {{
  const fit = () => {{
    const s = Math.min(innerWidth / {STAGE_W}, innerHeight / {STAGE_H});
    const root = document.documentElement.style;
    root.setProperty('--slide-scale', s);
    root.setProperty('--slide-x', ((innerWidth - {STAGE_W} * s) / 2) + 'px');
    root.setProperty('--slide-y', ((innerHeight - {STAGE_H} * s) / 2) + 'px');
  }};
  fit();
  if (!window.__atlasFit) {{ window.__atlasFit = true; addEventListener('resize', fit); }}
}})();
</script>"""


def chart_box_css(width: int, height: int) -> str:
    """The chart's box, sized so that Streamlit, which measures it on screen (after the frame's scaling), hands
    plotly the design size: the box is the design size divided by the scale (so it measures width x height),
    the chart is drawn at the design size and the frame's scaling brings it to the screen; the extra width the
    box takes in the flow is given back with a negative margin (its height in the flow is the chart's)."""
    s = "var(--slide-scale, 1)"
    return f"""<style>
.st-key-brief_chart, .st-key-brief_chart .stElementContainer, .st-key-brief_chart .stFullScreenFrame {{
  width: calc({width}px / {s}) !important; max-width: none !important; flex: none !important;
  overflow: visible !important; }}
.st-key-brief_chart {{ margin-right: calc({width}px - {width}px / {s}); }}
.st-key-brief_chart [data-testid="stPlotlyChart"] {{ height: calc({height}px / {s}) !important;
  overflow: visible !important; }}
.st-key-brief_chart .js-plotly-plot {{ overflow: visible !important; }}
</style>"""


def briefing_css(kiosk: bool = False) -> str:
    """The 1920x1080 frame, no sidebar or toolbar, no scrolling, projector colours, large type; in kiosk the
    controls stay in the page (their keyboard shortcuts work) but are visually hidden."""
    b = briefing
    hidden = (
        """.st-key-brief_controls { position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden !important; clip-path: inset(50%) !important; white-space: nowrap; margin: 0 !important; }"""
        if kiosk
        else ""
    )
    return f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], #MainMenu, footer {{ display: none !important; }}
html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: {b.BACKGROUND} !important; color: {b.FOREGROUND} !important; overflow: hidden !important; }}
[data-testid="stMainBlockContainer"], .block-container {{
  position: fixed !important; left: 0; top: 0; width: {STAGE_W}px !important; height: {STAGE_H}px !important;
  max-width: none !important; padding: 12px 48px 0 48px !important; overflow: hidden !important;
  transform-origin: 0 0; transform: translate(var(--slide-x, 0), var(--slide-y, 0)) scale(var(--slide-scale, 1)); }}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] button,
[data-testid="stMain"] label, [data-testid="stMain"] [data-baseweb="select"] *, [data-testid="stMain"] button kbd,
[data-testid="stMain"] button * {{ font-size: 24px !important; }}
{hidden}
.slide-title {{ font-size: 56px !important; line-height: 1.15; font-weight: 700; margin: 0; padding: 4px 0 8px 0;
  color: {b.FOREGROUND}; white-space: nowrap; overflow: hidden; }}
.tiles {{ display: flex; gap: 24px; }}
.tile {{ flex: 1; min-width: 0; background: #132247; border-radius: 14px; padding: 10px 22px; height: 228px;
  box-sizing: border-box; }}
.tile-value {{ font-size: {slides.VALUE_PX[False]}px; font-weight: 800; color: {b.ACCENT}; line-height: 1.15; white-space: nowrap; }}
.tile-label {{ font-size: 30px; line-height: 1.2; color: {b.FOREGROUND}; margin-top: 6px; }}
.tile-delta {{ font-size: 24px; line-height: 1.2; color: {b.MUTED}; margin-top: 4px; }}
.tiles.large .tile {{ height: 380px; padding: 36px 36px; }}
.tiles.large .tile-value {{ font-size: {slides.VALUE_PX[True]}px; }}
.tiles.large .tile-label {{ font-size: 40px; }}
.tiles.large + * {{ margin-top: 24px; }}
.slide-bullets {{ margin: 0; padding-left: 1.2em; }}
.slide-bullets li {{ font-size: 30px !important; line-height: 1.3; margin-bottom: 18px; color: {b.FOREGROUND}; }}
.slide-bullets.large {{ margin-top: 24px; }}
.slide-bullets.large li {{ font-size: 38px !important; margin-bottom: 28px; }}
.slide-note {{ font-size: 26px !important; line-height: 1.3; color: {b.MUTED}; margin: 0; }}
.slide-footer {{ position: fixed; left: 48px; right: 48px; bottom: 10px; font-size: 24px; line-height: 1.3;
  color: {b.MUTED}; white-space: nowrap; overflow: hidden; z-index: 10; }}
.kiosk-status {{ position: fixed; right: 48px; bottom: 14px; font-size: 24px; line-height: 1.2; color: {b.MUTED};
  z-index: 10; display: flex; gap: 16px; align-items: center; white-space: nowrap; }}
.kiosk-progress {{ position: fixed; left: 0; bottom: 0; height: 6px; background: {b.ACCENT}; opacity: 0.7;
  z-index: 10; }}
.counter {{ font-size: 34px; font-weight: 700; color: {b.FOREGROUND}; white-space: nowrap; }}
.kiosk-status .counter {{ font-size: 24px; font-weight: 400; color: {b.MUTED}; }}
.demo-badge {{ font-size: 24px; font-weight: 800; color: {b.BACKGROUND}; background: {b.ACCENT}; border-radius: 6px;
  padding: 0.1rem 0.5rem; margin-left: 0.8rem; vertical-align: middle; }}
.kiosk-status .demo-badge {{ margin-left: 0; }}
[data-testid="stMain"] button, [data-testid="stMain"] [data-baseweb="select"] > div {{
  background: #1d2d55 !important; color: {b.FOREGROUND} !important; border: 1px solid #3b4f80 !important; }}
[data-testid="stMain"] button *, [data-testid="stMain"] [data-baseweb="select"] *,
[data-testid="stMain"] [data-testid="stPageLink"] * {{ color: {b.FOREGROUND} !important; }}
[data-testid="stMain"] [data-testid="stSelectbox"] * {{ font-size: 24px !important; background: #1d2d55 !important; }}
[data-testid="stMain"] [data-testid="stSelectbox"] input {{
  color: {b.FOREGROUND} !important; -webkit-text-fill-color: {b.FOREGROUND} !important; opacity: 1 !important; }}
</style>"""
