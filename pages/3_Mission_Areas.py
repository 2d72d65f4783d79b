"""Mission areas: how each line of work is trending, where it happens, in what form, and its agreements."""

import html

import streamlit as st

from atlas.app import ui, widgets
from atlas.app.sections import engagement_search_section
from atlas.app.tables import ranked_table
from atlas.data import vocab
from atlas.views import figures, worldmap

st.set_page_config(page_title="Partner Atlas – Mission areas", page_icon="🧭", layout="wide")
f = ui.sidebar("areas")
ui.page_header(
    "Mission areas",
    f,
    subtitle="Each mission area's trend, partner countries, engagement types and "
    "agreements; the sidebar's mission-area filter picks which areas",
    counting="both",
)

# The sidebar's mission-area filter is the only choice of areas: every area it admits is shown.
shown = list(f.mission_areas) or [m.code for m in vocab.MISSION_AREAS]
single = shown[0] if len(shown) == 1 else None
if single:
    st.caption(vocab.MISSION_AREA_BY_CODE[single].description)

ui.prefetch(f, "area_summary", "country_area_activity", "monthly_activity", "engagement_types", "agreement_pipeline")
summary = ui.query("area_summary", f).set_index("mission_area")
by_area = ui.query("country_area_activity", f)


def area_heading(code: str) -> None:
    area = vocab.MISSION_AREA_BY_CODE[code]
    st.html(
        f'<div style="font-size:1.25rem;font-weight:600"><span style="display:inline-block;width:0.8em;'
        f'height:0.8em;border-radius:50%;background:{area.colour};margin-right:0.4em"></span>'
        f"{html.escape(area.label)}</div>"
    )


def area_card(code: str, rows, *, map_height: int, top_n: int, wide: bool = False) -> None:
    """One mission area: its headline number, a map of where it works and its busiest partner countries."""
    row = summary.loc[code]
    st.metric(
        "Engagements in period",
        f"{int(row.engagements):,}",
        ui.delta_text(row.engagements, row.prev_engagements),
        help="Cancelled engagements are not counted. Change is against the previous period of equal length.",
    )
    st.caption(f"{int(row.countries):,} partner countries · {int(row.participants):,} participants")
    if rows.empty:
        ui.empty_state(f"{vocab.mission_area_label(code)} engagements", f)
        return
    map_col, list_col = st.columns([3, 2], vertical_alignment="center") if wide else (st.container(),) * 2
    with map_col:
        event = ui.plotly(
            worldmap.area_map(rows, code, height=map_height),
            key=f"area_map_{code}",
            on_select="rerun",
            description=f"Map of {vocab.mission_area_label(code)} engagements in the period by partner country "
            f"({len(rows)} countries); click a country to open its profile.",
            numbers=rows,
            columns={"name": "Partner country", "region": "Region", "engagements": "Engagements"},
            what=f"the {vocab.mission_area_label(code)} map",
        )
    ui.open_clicked_country(event)
    with list_col:
        ranked_table(
            rows.head(top_n),
            label="name",
            value="engagements",
            colour=vocab.MISSION_AREA_COLOURS[code],
            caption="Top partner countries",
        )


if not single:
    ui.area_legend()
st.subheader("Trend")
monthly = ui.query("monthly_activity", f)
if monthly.empty:
    ui.empty_state("engagements", f)
else:
    by_month = figures.mark_partial(monthly, today=f.today, period=(f.start, f.end))
    ui.plotly(
        figures.area_small_multiples(
            monthly,
            today=f.today,
            period=(f.start, f.end),
            columns=1 if single else 4,
            panel_height=260 if single else 150,
            events=ui.query("timeline_events", f),
        ),
        key="area_trend",
        description="Engagements per month: one panel per mission area, all on the same scale; a month the "
        "period or today cuts short is marked partial. Markers at the top of a panel: the area's agreements signed "
        "and entered into force that month (hover for which).",
        numbers=by_month,
        columns=widgets.MONTHLY_COLUMNS,
    )
    ui.downloads(by_month, "engagements_by_month_and_area", key="area_trend")

st.subheader("Where it works" if single else "Where each area works")
st.caption(
    "Countries shaded by engagements in the period; small states are drawn as dots. Hover for numbers; "
    "click a country to open its profile."
)
if single:
    with st.container(border=True):
        area_heading(single)
        area_card(single, by_area, map_height=400, top_n=10, wide=True)
else:
    for start in range(0, len(shown), 3):
        for code, column in zip(shown[start : start + 3], st.columns(3)):
            with column, st.container(border=True):
                area_heading(code)
                area_card(code, by_area[by_area.mission_area == code], map_height=220, top_n=5)
if len(by_area):
    st.caption("Download the engagements per country and mission area behind these maps and lists:")
    ui.downloads(
        by_area[["mission_area", "iso3", "name", "region", "engagements"]],
        "engagements_by_area_and_country",
        key="area_maps",
    )

types_col, pipeline_col = st.columns(2)
with types_col:
    st.subheader("Engagement types")
    types = ui.query("engagement_types", f)
    if types.empty:
        ui.empty_state("engagements", f)
    else:
        ui.plotly(
            figures.without_legend(figures.by_type(types)),
            key="area_types",
            description="Engagements in the period by engagement type, stacked by mission area.",
            numbers=types,
            columns=widgets.TYPE_COLUMNS,
        )
        ui.downloads(types, "engagements_by_type_and_area", key="area_types")
with pipeline_col:
    st.subheader("Agreements by status")
    pipeline = ui.query("agreement_pipeline", f)
    if pipeline.empty:
        ui.empty_state("agreements", f)
    else:
        ui.plotly(
            figures.without_legend(figures.pipeline(pipeline)),
            key="area_pipeline",
            description="Agreements whose life overlaps the period, by their current status, stacked by mission area.",
            numbers=pipeline,
            columns=widgets.PIPELINE_COLUMNS,
        )
        ui.downloads(pipeline, "agreements_by_status_and_area", key="area_pipeline")

engagement_search_section(f)
