"""Briefing mode: the current filters as a self-running, full-screen presentation for the wall screen.

?slides=headline,map,area:visa,country:MEX picks and orders the slides; &kiosk=1 hides every control (the
keyboard still works: Left, Right, Space) and shows only a small progress line.
"""

import html
import time

import streamlit as st

from atlas.app import briefing as glue
from atlas.app import ui
from atlas.views import briefing, slides

st.set_page_config(
    page_title="Partner Atlas – Briefing", page_icon="📽️", layout="wide", initial_sidebar_state="collapsed"
)
# A database that cannot be read (missing, outdated, damaged) pauses the wall with a calm slide, never an error box.
paused = glue.wall_notice() is not None
f = glue.paused_filters() if paused else ui.briefing_filters()
view = glue.briefing_view(f)
st.html(ui.briefing_css(view.kiosk))
state = st.session_state
state.setdefault("brief_index", 0)
state.setdefault("brief_playing", True)
state.setdefault("brief_interval", 20)
state.setdefault("brief_last", time.monotonic())


def go(step: int) -> None:
    state["brief_index"] = state["brief_index"] + step
    state["brief_last"] = time.monotonic()


def toggle() -> None:
    state["brief_playing"] = not state["brief_playing"]
    state["brief_last"] = time.monotonic()


def retime() -> None:
    state["brief_retime"] = True
    state["brief_last"] = time.monotonic()


def pick() -> None:
    glue.choose_slides(f, list(state["brief_pick"]))
    state["brief_index"] = 0


def controls(count: int, deck) -> bool:
    """The toolbar (visually hidden in kiosk, where only its keyboard shortcuts are used); True if play toggled."""
    with st.container(key="brief_controls"):
        st.html(glue.scale_script(), unsafe_allow_javascript=True)
        bar = st.columns([1.2, 1, 1, 1, 1.3, 2.6, 0.9], vertical_alignment="center")
        demo = '<span class="demo-badge">DEMO DATA</span>' if deck is not None and deck.demo else ""
        bar[0].html(f'<div class="counter">{state["brief_index"] + 1} / {count}{demo}</div>')
        bar[1].button("◀ Prev", on_click=go, args=(-1,), shortcut="Left", key="brief_prev", width="stretch")
        playing = state["brief_playing"]
        toggled = bar[2].button(
            "Pause" if playing else "Play",
            icon=":material/pause:" if playing else ":material/play_arrow:",
            on_click=toggle,
            shortcut="Space",
            key="brief_toggle",
            width="stretch",
        )
        bar[3].button("Next ▶", on_click=go, args=(+1,), shortcut="Right", key="brief_next", width="stretch")
        if view.kiosk or deck is None:
            return toggled
        # In a popover: an open select box on the bar would also take the arrow keys (one press, two slides).
        with bar[4].popover("Slides", icon=":material/view_carousel:", width="stretch"):
            st.selectbox(
                "Advance every",
                [10, 20, 30, 60, 120],
                key="brief_interval",
                format_func=lambda s: f"every {s} s",
                on_change=retime,
            )
            state["brief_pick"] = list(view.keys)
            st.multiselect(
                "Slides, in the order shown",
                glue.slide_options(f, view.keys),
                key="brief_pick",
                format_func=briefing.key_label,
                on_change=pick,
                help="Pick and order the slides; the link keeps the choice (&slides=…).",
            )
        with bar[5]:
            if deck is not None:
                ui.briefing_downloads(f, deck)
        bar[6].page_link(ui.PAGES["overview"], label="Exit", icon=":material/close:")
    return toggled


def show_slide() -> None:
    # A timer rerun of this fragment advances the slide; only the fragment redraws, never the page. The deck is
    # looked up on each run, so an import that lands shows on the next slide.
    now = time.monotonic()
    if state["brief_playing"] and now - state["brief_last"] >= state["brief_interval"] - 0.25:
        go(+1)
    deck, slide = glue.safe_slide(f, view, state["brief_index"])
    if paused and deck is not None:
        st.rerun()  # the data is back: a full run adopts the link's filters against it
    count = len(deck) if deck is not None else len(view.keys)
    state["brief_index"] %= count
    ui.briefing_shown(state["brief_index"], count, live=deck is not None and not view.kiosk)  # the last-briefing mark
    if controls(count, deck) or state.pop("brief_retime", False):
        st.rerun()  # play/pause and the interval change the timer, which only a full run can set

    st.html(f"<h1 class='slide-title'>{html.escape(slide.title)}</h1>")
    large = slide.figure is None
    if slide.numbers:
        st.html(slides.numbers_html(slide.numbers, large=large))
    if slide.figure is not None:
        chart, side = st.columns([3, 1]) if slide.bullets else (st.container(), None)
        with chart:
            height, width = slides.screen_chart_height(slide, kiosk=view.kiosk), slides.screen_chart_width(slide)
            figure = briefing.style(slide.figure, height=height).update_layout(width=width, autosize=False)
            st.html(glue.chart_box_css(width, height))
            st.container(key="brief_chart").plotly_chart(
                figure,
                config=ui.PLOTLY_CONFIG | {"staticPlot": True, "responsive": False},
                key=f"brief_fig_{slide.key}",
                width=width,
                theme=None,
            )
        if side is not None:
            with side:
                st.html(slides.bullets_html(slide.bullets))
    elif slide.bullets:
        st.html(slides.bullets_html(slide.bullets, large=True))
    if slide.note:
        st.html(f"<p class='slide-note'>{html.escape(slide.note)}</p>")
    if view.kiosk:
        shown = state["brief_index"] + 1
        demo = '<span class="demo-badge">DEMO</span>' if deck is not None and deck.demo else ""
        # The wall says what its numbers are of: the filters (shortened to one line) and the as-of time.
        as_of = f"<span>{html.escape(deck.footer_line())}</span>" if deck is not None else ""
        st.html(
            f"<div class='kiosk-status'>{demo}{as_of}<span class='counter'>{shown} / {count}</span></div>"
            f"<div class='kiosk-progress' style='width: {100 * shown / count:.1f}%'></div>"
        )
    elif deck is not None:
        st.html(f"<div class='slide-footer'>{html.escape(deck.footer_line())}</div>")


# While paused the wall looks again every 10 s, so it resumes by itself once the data is ready.
every = state["brief_interval"] if state["brief_playing"] else None
st.fragment(show_slide, run_every=min(every or 10, 10) if paused else every)()
