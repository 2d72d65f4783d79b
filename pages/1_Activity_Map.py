"""Activity map: where the engagements are, the arcs of partnership from Washington, and programme sites."""

import streamlit as st

from atlas.app import ui, widgets
from atlas.views import maps, organizations

ORGANIZATIONS = "Organizations"  # the layer of the international organizations' headquarters and the arcs to them

st.set_page_config(page_title="Partner Atlas – Activity map", page_icon="🗺️", layout="wide")
f = ui.sidebar("map")
activity = ui.query("country_activity", f)
ui.page_header(
    "Activity map",
    f,
    subtitle="Engagements by partner country; click a country to open its profile",
    shows=("engagements",),
    counting="per_country",
)  # the map shows no agreements

# Two rows: the layers and the programme sites do not fit side by side without hiding a choice.
shown = st.pills(
    "Layers",
    ["Engagement places", "Hexagons", "Arcs from Washington", ORGANIZATIONS],
    selection_mode="multi",
    default=["Arcs from Washington"],
    key="map_layers",
)
programmes = st.pills(
    "Programme sites (sourced facts)",
    list(maps.PROGRAM_LAYERS),
    selection_mode="multi",
    format_func=lambda c: maps.PROGRAM_LAYERS[c][0],
    default=[],
    key="map_programs",
)

by_area = ui.query("country_area_activity", f) if "Arcs from Washington" in shown else None
points = ui.query("engagement_points", f) if {"Hexagons", "Engagement places"} & set(shown) else None
sites = ui.query("programs", programs=list(programmes or []))
orgs = organizations.shares_in_words(ui.query("organizations_active", f)) if ORGANIZATIONS in shown else None

if activity.engagements.sum() == 0:
    ui.empty_state("engagements", f)
active = activity[activity.engagements > 0]
figure = maps.activity_map(
    activity,
    by_area=by_area,
    places=points if "Engagement places" in shown else None,
    hexagons=points if "Hexagons" in shown else None,
    sites=sites,
    programmes=list(programmes or []),
    overlays=organizations.map_traces(orgs) if orgs is not None else None,
    height=480,
)
event = ui.plotly(
    figure,
    key="activity_map",
    on_select="rerun",
    description=f"World map of engagements by partner country: {len(active)} countries with activity, "
    "busiest first in the table 'Numbers behind this map' below. Click a country to open its profile.",
    numbers=active.sort_values("engagements", ascending=False),
    columns={
        "name": "Partner country",
        "region": "Region",
        "engagements": "Engagements",
        "prev_engagements": "Previous period",
        "top_area": "Leading mission area",
    },
    download=(
        "activity_by_country",
        activity[["iso3", "name", "region", "engagements", "prev_engagements", "top_area"]],
    ),
)
widgets.open_clicked_organization(event)
widgets.open_clicked_country(event)

marks = (
    [
        (
            "arcs from Washington: the 30 busiest partners, in their leading area's colour",
            "background:linear-gradient(90deg,#0072B2,#E69F00);height:0.25em;border-radius:0",
        )
    ]
    if "Arcs from Washington" in shown
    else []
)
if programmes:
    marks += [
        (
            "operational site (pale: no longer current)",
            "background:#56B4E9;border:1.5px solid #141414;border-radius:50%",
        ),
        ("announced, not yet operational", "background:transparent;border:2px solid #56B4E9;border-radius:50%"),
        ("? uncertain in the sources", "background:transparent"),
    ]
if orgs is not None:
    marks += organizations.legend_marks()
widgets.count_legend(maps.legend(activity.engagements), "Engagements in the period", extra=marks)
ui.area_legend()
st.caption(
    "Countries are shaded by their count class (the legend gives each colour's range); dots mark active "
    "countries (larger for small states). Programme sites carry their status, source and as-of date in the "
    "tooltip. Boundaries: Natural Earth (public domain), drawn locally."
)
if orgs is not None:
    st.subheader("International organizations shown")
    st.caption(ui.md_escape(organizations.map_note(orgs)))
    if len(orgs):
        ui.table(
            orgs,
            "organizations_shown",
            key="organizations_shown",
            columns=["name", "kind", "hq_city", "hq_country", "engagements", "multilateral_pct", "latest"],
            column_config={
                "hq_city": "Headquarters",
                "hq_country": "Country",
                "multilateral_pct": "Multilateral share",
            },
        )
    else:
        ui.empty_state("engagements with international organizations", f)
if len(sites):
    st.subheader("Programme sites shown")
    ui.table(
        sites,
        "programme_sites",
        key="sites",
        columns=[
            "program",
            "country",
            "place",
            "site_code",
            "status",
            "since",
            "uncertain",
            "source_url",
            "source_as_of",
        ],
    )
