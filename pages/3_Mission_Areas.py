"""Mission areas: how each line of work is trending, where it happens, in what form, and its agreements."""
import dataclasses
import html

import streamlit as st

from atlas.views import figures, worldmap
from atlas.app import ui
from atlas.data import vocab

st.set_page_config(page_title="Partner Atlas – Mission areas", page_icon="🧭", layout="wide")
f = ui.sidebar("areas")
ui.page_header("Mission areas", f, subtitle="Each mission area's trend, partner countries, engagement types and "
               "agreements; one area at a time or all side by side")

# The sidebar's mission-area filter narrows the choice; "all" shows every area it admits.
available = list(f.mission_areas) or [m.code for m in vocab.MISSION_AREAS]
if st.session_state.get("areas_choice") not in ["all", *available]:
    st.session_state["areas_choice"] = available[0] if len(available) == 1 else "all"
choice = st.selectbox("Show", ["all", *available], key="areas_choice", width=360,
                      format_func=lambda c: "All areas side by side" if c == "all" else vocab.mission_area_label(c))
shown = available if choice == "all" else [choice]
scope = f if choice == "all" else dataclasses.replace(f, mission_areas=(choice,))
if choice != "all":
    st.caption(vocab.MISSION_AREA_BY_CODE[choice].description)

ui.prefetch(scope, "area_summary", "country_area_activity", "monthly_activity", "engagement_types",
            "agreement_pipeline")
summary = ui.query("area_summary", scope).set_index("mission_area")
by_area = ui.query("country_area_activity", scope)


def area_heading(code: str) -> None:
    area = vocab.MISSION_AREA_BY_CODE[code]
    st.html(f'<div style="font-size:1.25rem;font-weight:600"><span style="display:inline-block;width:0.8em;'
            f'height:0.8em;border-radius:50%;background:{area.colour};margin-right:0.4em"></span>'
            f'{html.escape(area.label)}</div>')


def area_card(code: str, rows, *, map_height: int, top_n: int, wide: bool = False) -> None:
    """One mission area: its headline number, a map of where it works and its busiest partner countries."""
    row = summary.loc[code]
    st.metric("Engagements in period", f"{int(row.engagements):,}",
              ui.delta_text(row.engagements, row.prev_engagements),
              help="Cancelled engagements are not counted. Change is against the previous period of equal length.")
    st.caption(f"{int(row.countries):,} partner countries · {int(row.participants):,} participants")
    if rows.empty:
        ui.empty_state(f"{vocab.mission_area_label(code)} engagements", scope)
        return
    map_col, list_col = st.columns([3, 2], vertical_alignment="center") if wide else (st.container(),) * 2
    with map_col:
        event = ui.plotly(worldmap.area_map(rows, code, height=map_height), key=f"area_map_{code}", on_select="rerun")
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points and (points[0].get("location") or points[0].get("customdata")):
        clicked = points[0].get("location") or points[0].get("customdata")
        ui.select_country(clicked if isinstance(clicked, str) else clicked[0])
        st.switch_page(ui.PAGES["country"])
    list_col.dataframe(rows.head(top_n)[["name", "engagements"]], hide_index=True, width="stretch",
                       key=f"df_area_top_{code}", column_config={
                           "name": "Top partner countries",
                           "engagements": st.column_config.ProgressColumn(
                               "Engagements", format="%d", min_value=0, max_value=int(rows.engagements.max()),
                               color=vocab.MISSION_AREA_COLOURS[code])})


if choice == "all":
    ui.area_legend()
st.subheader("Trend")
monthly = ui.query("monthly_activity", scope)
if monthly.empty:
    ui.empty_state("engagements", scope)
else:
    ui.plotly(figures.without_legend(figures.area_trend_lines(monthly)), key="area_trend")
    ui.downloads(monthly, "engagements_by_month_and_area", key="area_trend")

st.subheader("Where each area works" if choice == "all" else "Where it works")
st.caption("Countries shaded by engagements in the period; small states are drawn as dots. Hover for numbers; "
           "click a country to open its profile.")
if choice == "all":
    for start in range(0, len(shown), 3):
        for code, column in zip(shown[start:start + 3], st.columns(3)):
            with column, st.container(border=True):
                area_heading(code)
                area_card(code, by_area[by_area.mission_area == code], map_height=220, top_n=5)
else:
    with st.container(border=True):
        area_heading(choice)
        area_card(choice, by_area, map_height=400, top_n=10, wide=True)
if len(by_area):
    st.caption("Download the engagements per country and mission area behind these maps and lists:")
    ui.downloads(by_area[["mission_area", "iso3", "name", "region", "engagements"]],
                 "engagements_by_area_and_country", key="area_maps")

types_col, pipeline_col = st.columns(2)
with types_col:
    st.subheader("Engagement types")
    types = ui.query("engagement_types", scope)
    if types.empty:
        ui.empty_state("engagements", scope)
    else:
        ui.plotly(figures.without_legend(figures.by_type(types)), key="area_types")
        ui.downloads(types, "engagements_by_type_and_area", key="area_types")
with pipeline_col:
    st.subheader("Agreements by status")
    pipeline = ui.query("agreement_pipeline", scope)
    if pipeline.empty:
        ui.empty_state("agreements", scope)
    else:
        ui.plotly(figures.without_legend(figures.pipeline(pipeline)), key="area_pipeline")
        st.caption("Agreements whose life overlaps the period, by their current status.")
        ui.downloads(pipeline, "agreements_by_status_and_area", key="area_pipeline")
