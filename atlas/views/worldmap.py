"""World maps as plotly choropleths: countries shaded by a count, small states as dots. No streamlit, no queries.

Boundaries come from static/topojson/ (the page passes topojsonURL), so the maps draw offline.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.data import vocab
from atlas.views.figures import _figure, esc

# Blues with more steps at the low end: a few very active partners must not wash out everyone else.
SEQUENTIAL = [[0.0, "#deebf7"], [0.04, "#c6dbef"], [0.12, "#9ecae1"], [0.3, "#6baed6"], [0.55, "#3182bd"],
              [1.0, "#08519c"]]


def world_choropleth(frame: pd.DataFrame, *, value: str = "engagements", label: str = "Engagements",
                     title: str | None = None, height: int = 460, colour: str | None = None) -> go.Figure:
    """Countries shaded by `value`; small states get a marker in the same colour so they can be seen.

    `frame` needs iso3, name, small, lat, lon and the value column.
    """
    traces, geo = _choropleth_parts(frame, value=value, label=label, colour=colour)
    return _figure(traces, {"geo": geo}, title=title, height=height, legend=False)


def _choropleth_parts(frame: pd.DataFrame, *, value: str, label: str, colour: str | None,
                      outline: bool = False) -> tuple[list[dict], dict]:
    data = frame[frame[value] > 0]
    scale = [[0, "#e8eef4"], [0.15, colour], [1, colour]] if colour else SEQUENTIAL
    zmax = float(data[value].max()) if len(data) else 1.0
    hover = [f"<b>{esc(n)}</b><br>{label}: {v:,.0f}" for n, v in zip(data["name"], data[value])]
    traces = [{
        "type": "choropleth", "locations": list(data["iso3"]), "z": list(data[value]), "locationmode": "ISO-3",
        "colorscale": scale, "zmin": 0, "zmax": zmax, "hovertext": hover, "hoverinfo": "text",
        "marker": {"line": {"color": "#555555" if outline else "white", "width": 0.6 if outline else 0.4}},
        "colorbar": {"title": {"text": label}, "thickness": 12, "len": 0.6}, "showscale": not outline,
        "customdata": list(data["iso3"]),
    }]
    small = data[data["small"].astype(bool)]
    if len(small):
        traces.append({
            "type": "scattergeo", "lat": list(small["lat"]), "lon": list(small["lon"]), "mode": "markers",
            "customdata": list(small["iso3"]), "showlegend": False, "name": "Small states", "hoverinfo": "text",
            "marker": {"size": 6 if outline else 9, "color": list(small[value]), "colorscale": scale, "cmin": 0,
                       "cmax": zmax, "line": {"color": "#333", "width": 0.6 if outline else 0.8}},
            "hovertext": [f"<b>{esc(n)}</b><br>{label}: {v:,.0f}" for n, v in zip(small["name"], small[value])],
        })
    geo = {"projection": {"type": "natural earth"}, "resolution": 50, "showcountries": True,
           "countrycolor": "rgba(140,140,140,0.6)", "showcoastlines": False, "showland": True,
           # Translucent grey: light on a light theme, mid-grey on a dark one.
           "landcolor": "rgba(200,200,200,0.35)",
           "showocean": False, "showframe": False, "bgcolor": "rgba(0,0,0,0)", "lataxis": {"range": [-58, 85]}}
    return traces, geo


def area_map(frame: pd.DataFrame, code: str, *, value: str = "engagements", height: int = 260) -> go.Figure:
    """A small world map of one mission area in its own colour: no colour bar, countries with activity
    outlined (a pale tint must still stand out from land without any), small-state dots kept small."""
    traces, geo = _choropleth_parts(frame, value=value, label="Engagements", colour=vocab.MISSION_AREA_COLOURS[code],
                                    outline=True)
    return _figure(traces, {"geo": geo, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}}, height=height, legend=False)
