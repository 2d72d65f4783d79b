"""Activity map: where the engagements are, the arcs of partnership from Washington, and programme sites."""
import streamlit as st

from atlas.views import maps
from atlas.app import ui

st.set_page_config(page_title="Partner Atlas – Activity map", page_icon="🗺️", layout="wide")
f = ui.sidebar("map")
activity = ui.query("country_activity", f)
ui.page_header("Activity map", f, subtitle="Countries shaded by engagements in the period; click one to open its profile",
               demo=(int(activity.demo.sum()), 0))  # engagements only: the map shows no agreements

controls = st.columns([2, 3])
with controls[0]:
    shown = st.pills("Layers", ["Engagement places", "Hexagons", "Arcs from Washington"],
                     selection_mode="multi", default=["Arcs from Washington"], key="map_layers")
with controls[1]:
    programmes = st.pills("Programme sites (sourced facts)", list(maps.PROGRAM_LAYERS), selection_mode="multi",
                          format_func=lambda c: maps.PROGRAM_LAYERS[c][0], default=[], key="map_programs")

layers = [maps.basemap_layer(activity)]
if "Arcs from Washington" in shown:
    layers.append(maps.arcs_layer(ui.query("country_area_activity", f)))
if {"Hexagons", "Engagement places"} & set(shown):
    points = ui.query("engagement_points", f)
    if len(points) and "Hexagons" in shown:
        layers.append(maps.engagement_points_layer(points, hexagons=True))
    if len(points) and "Engagement places" in shown:
        layers.append(maps.engagement_points_layer(points))
layers.append(maps.centroid_layer(maps.activity_centroids(activity)))
sites = ui.query("programs", programs=list(programmes or []))
for code in programmes or []:
    layers.append(maps.program_layer(sites, code))

if activity.engagements.sum() == 0:
    ui.empty_state("engagements", f)
event = st.pydeck_chart(maps.deck(layers), on_select="rerun", selection_mode="single-object", key="activity_map",
                        height=600)
picked = ui.picked_country(event, ("countries", "activity"))
if picked:
    ui.select_country(picked)
    st.switch_page(ui.PAGES["country"])

st.caption("Darker blue: more engagements in the period. Arcs: the 30 busiest partners, coloured by their leading "
           "mission area. Dots mark active countries (larger for small states). Programme sites carry their source "
           "and as-of date in the tooltip. Boundaries: Natural Earth (public domain), drawn locally.")
ui.area_legend()

ui.downloads(activity[["iso3", "name", "region", "engagements", "prev_engagements", "top_area"]],
             "activity_by_country", key="map_countries")
if len(sites):
    st.subheader("Programme sites shown")
    ui.table(sites, "programme_sites", key="sites",
             columns=["program", "country", "place", "site_code", "status", "since", "uncertain", "source_url",
                      "source_as_of"])
