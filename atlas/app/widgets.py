"""Page furniture: headers, the demo label, empty states, charts, legends, download buttons, the click decoder."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from atlas.app.session import as_of_text, query
from atlas.app.state import NOTICES, PAGES, select_country, select_organization
from atlas.app.viewer import viewer_caption
from atlas.app.wire import compact_dates, compact_table, trim_template
from atlas.data import export, vocab
from atlas.data import filters as flt
from atlas.views import organizations

PLOTLY_CONFIG = {
    # Relative, so it works under any baseUrlPath; the files are served from static/topojson/.
    "topojsonURL": "app/static/topojson/",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


# The numbers behind a lifecycle timeline: one row per bar drawn.
LIFECYCLE_COLUMNS = {
    "title": "Agreement",
    "partners": "Partners",
    "status": "Current status",
    "date_signed": "Signed",
    "date_in_force": "In force",
    "date_expires": "Expires",
}

# Headers of the numbers behind the charts that several pages draw.
MONTHLY_COLUMNS = {"month": "Month", "mission_area": "Mission area", "engagements": "Engagements", "partial": "Partial"}
PIPELINE_COLUMNS = {"status": "Current status", "mission_area": "Mission area", "agreements": "Agreements"}
TYPE_COLUMNS = {"engagement_type": "Engagement type", "mission_area": "Mission area", "engagements": "Engagements"}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:])")


def md_escape(text: object) -> str:
    """Text from the data, safe inside st.markdown: no markup, links, HTML or LaTeX."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


# Compact page chrome, so the main chart starts high on a 900 px screen: less empty space above the title, a
# smaller title, one caption line under it and a slim demo notice. Style tags only: st.html puts them in
# the page's event container, where they take no space.
_COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3rem; padding-bottom: 3rem; }
[data-testid="stMain"] h1 { font-size: 1.9rem; padding: 0 0 0.1rem 0; }
[data-testid="stMain"] [data-testid="stAlertContainer"] { padding: 0.35rem 0.75rem; }
[data-testid="stMain"] [data-testid="stAlertContainer"] p { font-size: 0.9rem; }
</style>"""

# WCAG 2.2 AA fixes to Streamlit's own styling (axe, tests/e2e/test_a11y_browser.py): each segment of a date
# field is a 24 px target (2.5.8); the label of a filter this page switches off keeps the text colour (1.4.3:
# dimmed, it fell under 4.5:1 in the dark theme); a multiselect's chosen items are written in the theme's text
# colour on a tint of it with an accent border (1.4.3: white on the dark theme's sky-blue accent was 2.3:1, and
# no one accent can hold 4.5:1 against both white text and the dark background).
_A11Y_CSS = """<style>
[data-testid="stMultiSelectTagsContainer"] [data-tag] {
  color: inherit !important; background-color: color-mix(in srgb, currentColor 12%, transparent) !important;
  border: 1px solid color-mix(in srgb, currentColor 45%, transparent) !important;
}
[data-testid="stMultiSelectTagsContainer"] [data-tag] * { color: inherit !important; }
[data-testid="stDateInput"] [role="spinbutton"] {
  display: inline-block; min-width: 24px; min-height: 24px; line-height: 24px; text-align: center;
}
label[data-testid="stWidgetLabel"][disabled], label[data-testid="stWidgetLabel"][disabled] * { color: inherit; }
</style>"""


def page_header(
    title: str,
    f: flt.Filters,
    *,
    subtitle: str | None = None,
    demo: tuple[int, int] | None = None,
    shows: tuple[str, ...] = ("engagements", "agreements"),
    counting: str | None = None,
    partners: str | None = None,
) -> None:
    """Title, then one line: what the page shows, how its numbers count records with several partners
    (`counting`: a key of vocab.COUNTING, None on a page without counts), what the numbers are filtered to, data
    freshness; then the demo-data label.

    The label counts the generated records the page shows (query demo_in_scope: engagements not cancelled,
    as every tile counts them, and agreements as the filters admit them), only of the kinds in `shows` (the
    Activity map shows no agreements, the Agreements page no engagements); `demo` = (engagements, agreements)
    when the page has counted them itself. `partners`: the partners the page chose itself, named in the line in
    place of the sidebar's countries (Compare).
    """
    st.html(_COMPACT_CSS + _A11Y_CSS)
    st.title(title)
    for notice in st.session_state.pop(NOTICES, []) or []:
        st.info(md_escape(notice), icon=":material/info:")
    parts = [md_escape(subtitle)] if subtitle else []
    if counting:
        noun = " or ".join(kind.removesuffix("s") for kind in ("engagements", "agreements") if kind in shows)
        parts.append(md_escape(vocab.counting_note(counting, noun or "record")))
    parts += [
        f"Showing: {md_escape(f.describe(partners))}",
        f"Data as of {as_of_text()}",
        md_escape(viewer_caption()),
    ]
    st.caption(" · ".join(p for p in parts if p))
    if demo is None:
        found = query("demo_in_scope", f)
        demo = (
            int(found.demo_engagements[0]) if "engagements" in shows else 0,
            int(found.demo_agreements[0]) if "agreements" in shows else 0,
        )
    demo_label(*demo)


def demo_label(engagements: int, agreements: int) -> None:
    """The DEMO DATA warning, naming how many generated records are shown; nothing when there are none."""
    shown = [f"{n:,} {noun}" for n, noun in ((engagements, "engagement(s)"), (agreements, "agreement(s)")) if n]
    if shown:
        st.warning(
            f"**DEMO DATA** — {' and '.join(shown)} shown here are generated for demonstration, not real "
            "activity. Programme sites (VWP, Preclearance, CSI, PCSC, posts) are real, sourced facts.",
            icon=":material/warning:",
        )


def downloads(
    frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str, *, xlsx: bool = True, key: str | None = None
) -> None:
    """CSV (and .xlsx) downloads of exactly the rows behind a table or chart, built on click. `frame` may be a
    function giving the rows, called only on a click (it must not call Streamlit; see ui.query_later)."""
    rows = frame if callable(frame) else lambda: frame
    _download_buttons(rows, name, key=key or name, xlsx=xlsx)


def _download_buttons(
    rows: Callable[[], pd.DataFrame],
    name: str,
    *,
    key: str,
    xlsx: bool = True,
    csv_refused: str | None = None,
    xlsx_refused: str | None = None,
) -> None:
    """CSV and Excel buttons; `rows` runs only when one is clicked (outside the script run, so it must not
    call Streamlit). A refusal disables its button and is its tooltip."""
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            "CSV",
            data=lambda: export.to_csv_bytes(rows()),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"csv_{key}",
            on_click="ignore",
            icon=":material/download:",
            disabled=csv_refused is not None,
            help=csv_refused,
        )
        if xlsx:
            st.download_button(
                "Excel",
                data=lambda: export.to_xlsx_bytes(rows(), name),
                file_name=f"{name}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"xlsx_{key}",
                on_click="ignore",
                icon=":material/download:",
                disabled=xlsx_refused is not None,
                help=xlsx_refused,
            )


def empty_state(what: str, f: flt.Filters, *, hint: str = "Widen the period or clear a filter in the sidebar.") -> None:
    """Say why there is nothing to show, and what to change."""
    st.info(
        f"No {md_escape(what)} for these filters ({md_escape(f.describe())}). {md_escape(hint)}",
        icon=":material/search_off:",
    )


def plotly(
    fig,
    *,
    key: str,
    description: str,
    numbers: pd.DataFrame,
    columns: dict[str, str],
    download: tuple[str, pd.DataFrame | None] | None = None,
    on_select: str | None = None,
    height: int | None = None,
    what: str | None = None,
):
    """The one way a page draws a plotly chart: the chart with `description` as its accessible name, the
    description as a caption under it, and `numbers` (the rows it draws) as a table in "Numbers behind
    `what`" (default: this map / this chart). Returns the selection event when `on_select` is set."""
    _require_alternative(key, description, numbers)
    if height:
        fig.update_layout(height=height)
    compact_dates(fig)
    trim_template(fig)
    event: object
    with st.container():
        if on_select:
            event = st.plotly_chart(
                fig,
                width="stretch",
                config=PLOTLY_CONFIG,
                key=key,
                on_select="rerun",
                selection_mode="points",
                alt=description,
            )
        else:
            event = st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key, alt=description)
        geo = any(t.type in ("choropleth", "scattergeo") for t in fig.data)
        what = what or ("this map" if geo else "this chart")
        chart_alternative(description, numbers, key=key, columns=columns, download=download, what=what)
    return event


def pydeck(
    deck,
    *,
    key: str,
    description: str,
    numbers: pd.DataFrame,
    columns: dict[str, str],
    download: tuple[str, pd.DataFrame | None] | None = None,
    height: int = 600,
):
    """A deck.gl map drawn the way plotly() draws a chart: accessible name, caption and the numbers behind it.
    A click on it is returned as a selection event."""
    _require_alternative(key, description, numbers)
    with st.container():
        event = st.pydeck_chart(
            deck, on_select="rerun", selection_mode="single-object", key=key, height=height, alt=description
        )
        chart_alternative(description, numbers, key=key, columns=columns, download=download, what="this map")
    return event


def _require_alternative(key: str, description: str, numbers: pd.DataFrame) -> None:
    # A chart without its text alternative is a programming error, not something to draw anyway.
    if not isinstance(description, str) or not description.strip():
        raise ValueError(f"chart {key!r}: a description of what it shows is required")
    if not isinstance(numbers, pd.DataFrame):
        raise ValueError(f"chart {key!r}: the numbers behind it (a DataFrame) are required")


def chart_alternative(
    description: str,
    numbers: pd.DataFrame,
    *,
    key: str,
    columns: dict[str, str] | None = None,
    download: tuple[str, pd.DataFrame | None] | None = None,
    what: str = "this chart",
) -> None:
    """A chart's text alternative: what it shows, in a caption (our text: markdown-escaped), then its numbers."""
    st.caption(md_escape(description))
    numbers_behind(numbers, what=what, key=key, columns=columns, download=download)


def clicked_country(event) -> str | None:
    """The iso3 of the country a click picked, from a plotly or a pydeck selection event (None: no click).

    plotly (st.plotly_chart(on_select=...)): selection.points[0] carries `location` (a choropleth's ISO3)
    or `customdata` (our markers and bars put the ISO3 there, alone or first in a list).
    pydeck (st.pydeck_chart(on_select=...)): selection.objects maps a layer id to the picked rows; a row
    of ours has `iso3`, a basemap GeoJSON feature has properties.iso3.
    """
    if not event:
        return None
    selection = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    selection = selection or {}
    for point in selection.get("points", []) or []:
        for found in (point.get("location"), point.get("customdata")):
            if isinstance(found, (list, tuple)):
                found = found[0] if found else None
            if isinstance(found, str) and found and organizations.code_of(found) is None:
                return found
    for rows in (selection.get("objects", {}) or {}).values():
        for row in rows or []:
            found = (row or {}).get("iso3") or ((row or {}).get("properties") or {}).get("iso3")
            if isinstance(found, str) and found:
                return found
    return None


def open_clicked_country(event) -> None:
    """If the event picked a country, select it and open its profile (the page stops here)."""
    iso3 = clicked_country(event)
    if iso3:
        select_country(iso3)
        st.switch_page(PAGES["country"])


def clicked_organization(event) -> str | None:
    """The code of the organization a click on a plotly bar or marker picked (customdata 'org:<code>', see
    atlas.views.organizations); None for no click or a click on a country."""
    if not event:
        return None
    selection = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    for point in (selection or {}).get("points", []) or []:
        code = organizations.code_of(point.get("customdata"))
        if code:
            return code
    return None


def open_clicked_organization(event) -> None:
    """If the event picked an organization, select it and open its profile (the page stops here)."""
    code = clicked_organization(event)
    if code:
        select_organization(code)
        st.switch_page(PAGES["organization"])


def count_legend(items: list[tuple[str, str]], noun: str, *, extra: list[tuple[str, str]] | None = None) -> None:
    """What a colour on a map means: one swatch per count class, `items` = (range, colour), then `extra`
    swatches (label, CSS) for other marks."""
    swatch = (
        '<span style="margin-right:1em;white-space:nowrap"><span style="display:inline-block;width:0.9em;'
        'height:0.9em;{css};margin-right:0.3em;vertical-align:-0.1em"></span>{label}</span>'
    )
    parts = [swatch.format(css=f"background:{c};border:1px solid #888", label=html.escape(r)) for r, c in items]
    parts += [swatch.format(css=css, label=html.escape(label)) for label, css in (extra or [])]
    st.html(f'<div style="font-size:0.9rem;line-height:1.8"><b>{html.escape(noun)}:</b> {"".join(parts)}</div>')


def numbers_behind(
    frame: pd.DataFrame,
    *,
    what: str = "this chart",
    key: str,
    columns: dict[str, str] | None = None,
    download: tuple[str, pd.DataFrame | None] | None = None,
) -> None:
    """The text alternative's second half: the numbers a chart or map draws, as a table in an expander
    (`columns` maps a column to its header; None: every column as it is). `download` = (file name, rows or None
    for those columns) adds CSV/Excel buttons inside it."""
    shown = _readable(frame if columns is None else frame[list(columns)]).rename(columns=columns or {})
    with st.expander(f"Numbers behind {what}"):
        st.dataframe(compact_table(shown), hide_index=True, width="stretch", key=f"nb_{key}")
        if download is not None:
            name, rows = download
            downloads(frame[list(columns or frame.columns)] if rows is None else rows, name, key=key)


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Vocabulary codes in a table as their labels (the downloads keep the codes)."""
    labels: dict[str, Callable[[Any], str]] = {
        area: vocab.mission_area_label for area in ("mission_area", "top_area", "latest_area")
    }
    labels["status"] = lambda s: vocab.label_of(vocab.AGREEMENT_STATUSES, s)
    labels["engagement_type"] = lambda t: vocab.label_of(vocab.ENGAGEMENT_TYPES, t)
    labels["month"] = lambda m: f"{pd.Timestamp(m):%b %Y}" if pd.notna(m) else ""
    return frame.assign(**{c: frame[c].map(f) for c, f in labels.items() if c in frame.columns})


def area_legend() -> None:
    """The mission-area colours, as used on every chart and map (labels are ours, not data)."""
    items = "".join(
        f'<span style="margin-right:1.2em;white-space:nowrap"><span style="display:inline-block;width:0.9em;'
        f'height:0.9em;border-radius:50%;background:{a.colour};margin-right:0.35em;vertical-align:-0.1em">'
        f"</span>{html.escape(a.label)}</span>"
        for a in vocab.MISSION_AREAS
    )
    st.html(f'<div style="font-size:0.95rem;line-height:2">{items}</div>')
