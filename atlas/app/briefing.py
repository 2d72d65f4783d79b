"""Briefing-mode glue: the slides for the session's filters, their files, and the wall-screen styles."""
from __future__ import annotations

import datetime as dt
import functools

import streamlit as st

from atlas.app.session import as_of_text, database, query
from atlas.app.state import _write_url, current_filters, since_date, url_extras
from atlas.data import filters as flt
from atlas.data.db import Database
from atlas.views import briefing, slides


def briefing_filters() -> flt.Filters:
    """The session's filters for the briefing, which draws no sidebar; the URL keeps ?mode=briefing."""
    f = current_filters("briefing")
    _write_url(f, url_extras("briefing"))
    return f


def briefing_deck(f: flt.Filters):
    """The slides for these filters, built once per filters/date/database generation in this session."""

    since = since_date(f)
    key = (f, since, database().signature)
    cached = st.session_state.get("brief_deck")
    if not cached or cached[0] != key:
        deck = briefing.build_slides(query, f, since=since, as_of=as_of_text())
        st.session_state["brief_deck"] = cached = (key, deck)
    return cached[1]


@functools.lru_cache(maxsize=4)
def _export_files(path: str, signature: tuple, f: flt.Filters, since: dt.date, as_of: str) -> tuple[bytes, bytes]:
    # Runs when a download is clicked, outside the script run: no session state, plain queries.

    db = Database.open(path)
    try:
        deck = briefing.build_slides(lambda name, filters=None, **extra: db.query(
            name, (filters.params() if filters else {}) | extra), f, since=since, as_of=as_of)
        return slides.export(deck)
    finally:
        db.close()


def briefing_downloads(f: flt.Filters, deck) -> None:
    """.pptx and .pdf of the current slides, built on click on this machine (no network)."""
    db = database()
    args = (str(db.path), db.signature, f, since_date(f), deck.as_of)
    cols = st.columns(2)
    cols[0].download_button(".pptx", icon=":material/download:", data=lambda: _export_files(*args)[0], file_name="partner-atlas-briefing.pptx",
                            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                            key="brief_pptx", on_click="ignore", width="stretch")
    cols[1].download_button(".pdf", icon=":material/download:", data=lambda: _export_files(*args)[1], file_name="partner-atlas-briefing.pdf",
                            mime="application/pdf", key="brief_pdf", on_click="ignore", width="stretch")


def briefing_css() -> str:
    """Full screen, no sidebar or toolbar, no scrolling, projector colours, large type."""

    return f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], #MainMenu, footer {{ display: none !important; }}
html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: {briefing.BACKGROUND} !important; color: {briefing.FOREGROUND} !important; overflow: hidden !important; }}
[data-testid="stMainBlockContainer"], .block-container {{
  padding: 0.8rem 3rem 0 3rem !important; max-width: 100% !important; }}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] button,
[data-testid="stMain"] label, [data-testid="stMain"] [data-baseweb="select"] * {{ font-size: 24px !important; }}
.slide-title {{ font-size: 60px !important; font-weight: 700; margin: 0.3rem 0 0.8rem 0; color: {briefing.FOREGROUND}; }}
.tiles {{ display: flex; gap: 1.6rem; margin-bottom: 1rem; }}
.tile {{ flex: 1; background: #132247; border-radius: 14px; padding: 1.2rem 1.4rem; }}
.tile-value {{ font-size: 112px; font-weight: 800; color: {briefing.ACCENT}; line-height: 1.05; }}
.tile-label {{ font-size: 32px; color: {briefing.FOREGROUND}; }}
.tile-delta {{ font-size: 26px; color: {briefing.MUTED}; margin-top: 0.3rem; }}
.slide-bullets {{ margin-top: 1rem; }}
.slide-bullets li {{ font-size: 30px !important; margin-bottom: 0.7rem; color: {briefing.FOREGROUND}; }}
.slide-note {{ font-size: 26px !important; color: {briefing.MUTED}; margin: 0.4rem 0; }}
.slide-footer {{ position: fixed; left: 0; right: 0; bottom: 0; padding: 0.5rem 3rem; font-size: 24px;
  color: {briefing.MUTED}; background: {briefing.BACKGROUND}; border-top: 1px solid #2a3a5e; z-index: 10; }}
.counter {{ font-size: 34px; font-weight: 700; color: {briefing.FOREGROUND}; white-space: nowrap; }}
.demo-badge {{ font-size: 24px; font-weight: 800; color: {briefing.BACKGROUND}; background: {briefing.ACCENT}; border-radius: 6px;
  padding: 0.1rem 0.5rem; margin-left: 0.8rem; vertical-align: middle; }}
[data-testid="stMain"] button, [data-testid="stMain"] [data-baseweb="select"] > div {{
  background: #1d2d55 !important; color: {briefing.FOREGROUND} !important; border: 1px solid #3b4f80 !important; }}
[data-testid="stMain"] button *, [data-testid="stMain"] [data-baseweb="select"] *,
[data-testid="stMain"] [data-testid="stPageLink"] * {{ color: {briefing.FOREGROUND} !important; }}
[data-testid="stMain"] [data-testid="stSelectbox"] * {{ font-size: 24px !important; background: #1d2d55 !important; }}
[data-testid="stMain"] [data-testid="stSelectbox"] input {{
  color: {briefing.FOREGROUND} !important; -webkit-text-fill-color: {briefing.FOREGROUND} !important; opacity: 1 !important; }}
</style>"""
