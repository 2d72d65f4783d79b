"""Page furniture: headers, the demo label, empty states, charts, download buttons, the click decoder."""
from __future__ import annotations

import html
import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from atlas.app.session import as_of_text, query
from atlas.app.state import NOTICES
from atlas.app.viewer import viewer_caption
from atlas.data import export, vocab
from atlas.data import filters as flt


PLOTLY_CONFIG = {
    # Relative, so it works under any baseUrlPath; the files are served from static/topojson/.
    "topojsonURL": "app/static/topojson/",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:])")


def md_escape(text: object) -> str:
    """Text from the data, safe inside st.markdown: no markup, links, HTML or LaTeX."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def page_header(title: str, f: flt.Filters, *, subtitle: str | None = None,
                demo: tuple[int, int] | None = None) -> None:
    """Title, what the numbers are filtered to, data freshness, and the demo-data label.

    The label counts the generated records the page shows: `demo` = (engagements, agreements) when the
    page has counted them itself (the Activity map shows no agreements, the Agreements page no
    engagements), else both as the filters admit them (query demo_in_scope).
    """
    st.title(title)
    if subtitle:
        st.caption(subtitle)
    for notice in st.session_state.pop(NOTICES, []) or []:
        st.info(md_escape(notice), icon=":material/info:")
    st.caption(f"Showing: {md_escape(f.describe())}  \nData as of {as_of_text()} · {md_escape(viewer_caption())}")
    if demo is None:
        found = query("demo_in_scope", f)
        demo = (int(found.demo_engagements[0]), int(found.demo_agreements[0]))
    demo_label(*demo)


def demo_label(engagements: int, agreements: int) -> None:
    """The DEMO DATA warning, naming how many generated records are shown; nothing when there are none."""
    shown = [f"{n:,} {noun}" for n, noun in ((engagements, "engagement(s)"), (agreements, "agreement(s)")) if n]
    if shown:
        st.warning(
            f"**DEMO DATA** — {' and '.join(shown)} shown here are generated for demonstration, not real "
            "activity. Programme sites (VWP, Preclearance, CSI, PCSC, posts) are real, sourced facts.",
            icon=":material/warning:")


def downloads(frame: pd.DataFrame, name: str, *, xlsx: bool = True, key: str | None = None) -> None:
    """CSV (and .xlsx) downloads of exactly the rows behind a table or chart, built on click."""
    _download_buttons(lambda: frame, name, key=key or name, xlsx=xlsx)


def _download_buttons(rows: Callable[[], pd.DataFrame], name: str, *, key: str, xlsx: bool = True,
                      csv_refused: str | None = None, xlsx_refused: str | None = None) -> None:
    """CSV and Excel buttons; `rows` runs only when one is clicked (outside the script run, so it must not
    call Streamlit). A refusal disables its button and is its tooltip."""
    with st.container(horizontal=True, gap="small"):
        st.download_button("CSV", data=lambda: export.to_csv_bytes(rows()), file_name=f"{name}.csv",
                           mime="text/csv", key=f"csv_{key}", on_click="ignore", icon=":material/download:",
                           disabled=csv_refused is not None, help=csv_refused)
        if xlsx:
            st.download_button("Excel", data=lambda: export.to_xlsx_bytes(rows(), name), file_name=f"{name}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key=f"xlsx_{key}", on_click="ignore", icon=":material/download:",
                               disabled=xlsx_refused is not None, help=xlsx_refused)


def empty_state(what: str, f: flt.Filters, *, hint: str = "Widen the period or clear a filter in the sidebar.") -> None:
    """Say why there is nothing to show, and what to change."""
    st.info(f"No {md_escape(what)} for these filters ({md_escape(f.describe())}). {md_escape(hint)}",
            icon=":material/search_off:")


def plotly(fig, *, key: str, on_select: str | None = None, height: int | None = None):
    if height:
        fig.update_layout(height=height)
    kwargs = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    return st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key, **kwargs)


def picked_country(event, layer_ids: tuple[str, ...]) -> str | None:
    """The iso3 of a country clicked on a deck map, from whichever of `layer_ids` was hit."""
    if not event:
        return None
    selection = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    objects = (selection or {}).get("objects", {}) or {}
    for layer_id in layer_ids:
        for obj in objects.get(layer_id, []) or []:
            iso = obj.get("iso3") or (obj.get("properties") or {}).get("iso3")
            if iso:
                return str(iso)
    return None


def area_legend() -> None:
    """The mission-area colours, as used on every chart and map (labels are ours, not data)."""
    items = "".join(
        f'<span style="margin-right:1.2em;white-space:nowrap"><span style="display:inline-block;width:0.9em;'
        f'height:0.9em;border-radius:50%;background:{a.colour};margin-right:0.35em;vertical-align:-0.1em">'
        f"</span>{html.escape(a.label)}</span>"
        for a in vocab.MISSION_AREAS)
    st.html(f'<div style="font-size:0.95rem;line-height:2">{items}</div>')
