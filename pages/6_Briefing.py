"""Briefing mode: the current filters as a self-running, full-screen presentation for the wall screen."""
import html
import time

import streamlit as st

from atlas.views import briefing, slides
from atlas.app import ui

st.set_page_config(page_title="Partner Atlas – Briefing", page_icon="📽️", layout="wide",
                   initial_sidebar_state="collapsed")
f = ui.briefing_filters()
st.html(ui.briefing_css())

deck = ui.briefing_deck(f)
count = len(deck)
state = st.session_state
state.setdefault("brief_index", 0)
state.setdefault("brief_playing", True)
state.setdefault("brief_interval", 20)
state.setdefault("brief_last", time.monotonic())
state["brief_index"] %= count


def go(step: int) -> None:
    state["brief_index"] = (state["brief_index"] + step) % count
    state["brief_last"] = time.monotonic()


def toggle() -> None:
    state["brief_playing"] = not state["brief_playing"]
    state["brief_last"] = time.monotonic()


def retime() -> None:
    state["brief_retime"] = True
    state["brief_last"] = time.monotonic()


def show_slide() -> None:
    # A timer rerun of this fragment advances the slide; only the fragment redraws, never the page.
    now = time.monotonic()
    if state["brief_playing"] and now - state["brief_last"] >= state["brief_interval"] - 0.25:
        go(+1)
    slide = deck.slide(state["brief_index"])
    bar = st.columns([1.2, 1, 1, 1, 1.6, 2.6, 1.2], vertical_alignment="center")
    with bar[0]:
        demo = '<span class="demo-badge">DEMO DATA</span>' if deck.demo else ""
        st.html(f'<div class="counter">{state["brief_index"] + 1} / {count}{demo}</div>')
    bar[1].button("◀ Prev", on_click=go, args=(-1,), shortcut="Left", key="brief_prev", width="stretch")
    playing = state["brief_playing"]
    paused = bar[2].button("Pause" if playing else "Play", icon=":material/pause:" if playing else
                           ":material/play_arrow:", on_click=toggle, shortcut="Space", key="brief_toggle", width="stretch")
    bar[3].button("Next ▶", on_click=go, args=(+1,), shortcut="Right", key="brief_next", width="stretch")
    bar[4].selectbox("Advance every", [10, 20, 30, 60, 120], key="brief_interval", label_visibility="collapsed",
                     format_func=lambda s: f"every {s} s", on_change=retime)
    with bar[5]:
        ui.briefing_downloads(f, deck)
    bar[6].page_link(ui.PAGES["overview"], label="Exit", icon=":material/close:")
    if paused or state.pop("brief_retime", False):
        st.rerun()  # play/pause and the interval change the timer, which only a full run can set

    st.html(f"<h1 class='slide-title'>{html.escape(slide.title)}</h1>")
    if slide.numbers:
        st.html(slides.numbers_html(slide.numbers))
    if slide.figure is not None:
        chart, side = st.columns([3, 1]) if slide.bullets else (st.container(), None)
        with chart:
            height = 560 if slide.numbers else 640
            st.plotly_chart(briefing.style(slide.figure, height=height), config=ui.PLOTLY_CONFIG | {"staticPlot": True},
                            key=f"brief_fig_{slide.key}", width="stretch", theme=None)
        if side is not None:
            with side:
                st.html(slides.bullets_html(slide.bullets))
    elif slide.bullets:
        st.html(slides.bullets_html(slide.bullets))
    if slide.note:
        st.html(f"<p class='slide-note'>{html.escape(slide.note)}</p>")
    st.html(f"<div class='slide-footer'>{html.escape(deck.footer(slide))}</div>")


st.fragment(show_slide, run_every=state["brief_interval"] if state["brief_playing"] else None)()
