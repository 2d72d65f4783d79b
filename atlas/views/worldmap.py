"""World maps as plotly choropleths: countries shaded by a count, small states as dots. No streamlit, no queries.

Boundaries come from static/topojson/ (the page passes topojsonURL), so the maps draw offline. Colours come
in count classes (scales.count_classes: 1, 2-4, 5-9, ...), named in a legend of ranges, so a partner with 5
does not look like one with 39.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.data import vocab
from atlas.views.figures import _figure, esc
from atlas.views.scales import class_colours, class_label, count_classes

NO_ACTIVITY = "#e8eef4"
# How near (px, beyond its edge) the pointer must be to a small state's dot for the dot, not the country under the
# pointer, to take the hover and the click: with plotly's default, 20, the middle of France was Luxembourg's.
DOT_REACH = 3


def base_geo(centre_lon: float | None = None) -> dict:
    """The world every map draws on: offline shapes, Natural Earth, Antarctica cut; centred on `centre_lon`."""
    projection: dict = {"type": "natural earth"}
    if centre_lon is not None:
        projection["rotation"] = {"lon": centre_lon}
    return {
        "projection": projection,
        # The 1:110m boundaries: a tenth of the points of 1:50m, so a map draws in about a quarter of the time
        # in the browser (Overview click 1.5 s -> 1.0 s at 1M). Every country missing from them is `small`,
        # drawn as a dot (tests/test_countries.py).
        "resolution": 110,
        "showcountries": True,
        "countrycolor": "rgba(140,140,140,0.6)",
        "showcoastlines": False,
        "showland": True,
        # Translucent grey: light on a light theme, mid-grey on a dark one.
        "landcolor": "rgba(200,200,200,0.35)",
        "showocean": False,
        "showframe": False,
        "bgcolor": "rgba(0,0,0,0)",
        "lataxis": {"range": [-58, 85]},
    }


def world_choropleth(
    frame: pd.DataFrame,
    *,
    value: str = "engagements",
    label: str = "Engagements",
    title: str | None = None,
    height: int = 460,
    colour: str | None = None,
) -> go.Figure:
    """Countries shaded by `value`'s class; small states get a marker in the same colour so they can be seen.

    `frame` needs iso3, name, small, lat, lon and the value column.
    """
    traces, geo = _choropleth_parts(frame, value=value, label=label, colour=colour)
    layout = {
        "geo": geo,
        "hoverdistance": DOT_REACH,
        "annotations": [_legend(legend_text(frame, value=value, colour=colour), label, horizontal=False)],
    }
    return _figure(traces, layout, title=title, height=height, legend=False)


def tints(colour: str, count: int) -> list[str]:
    """`count` steps from a pale tint of `colour` to the colour itself."""
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    out = []
    for step in range(count):
        share = 0.3 + 0.7 * (step / (count - 1) if count > 1 else 1)
        out.append("#" + "".join(f"{round(255 + (c - 255) * share):02x}" for c in (r, g, b)))
    out[-1] = colour
    return out


def class_scale(top: float, colours: list[str]) -> list[list]:
    """A stepped plotly colour scale over zmin=0.5..zmax=top+0.5: one flat colour per count class."""
    classes = count_classes(top)
    low, span = 0.5, float(top)
    scale: list[list] = []
    for (start, end), colour in zip(classes, colours):
        a, b = (start - 0.5 - low) / span, (end + 0.5 - low) / span
        scale += [[max(0.0, a), colour], [min(1.0, b), colour]]
    scale[-1][0] = 1.0
    return scale


def _choropleth_parts(
    frame: pd.DataFrame, *, value: str, label: str, colour: str | None, outline: bool = False
) -> tuple[list[dict], dict]:
    data = frame[frame[value] > 0]
    top = float(data[value].max()) if len(data) else 1.0
    classes = count_classes(top)
    colours = tints(colour, len(classes)) if colour else class_colours(len(classes))
    scale = class_scale(top, colours)
    traces = [
        {
            "type": "choropleth",
            "locations": list(data["iso3"]),
            "z": list(data[value]),
            "locationmode": "ISO-3",
            "colorscale": scale,
            "zmin": 0.5,
            "zmax": top + 0.5,
            "text": [esc(n) for n in data["name"]],
            "hovertemplate": _tooltip(label, "z"),
            "marker": {"line": {"color": "#555555" if outline else "white", "width": 0.6 if outline else 0.4}},
            "showscale": False,
            "showlegend": False,
            "name": label,  # a click reads the country from the point's location
        }
    ]
    small = data[data["small"].astype(bool)]
    if len(small):
        traces.append(
            {
                "type": "scattergeo",
                "lat": list(small["lat"]),
                "lon": list(small["lon"]),
                "mode": "markers",
                "customdata": list(small["iso3"]),
                "showlegend": False,
                "name": "Small states",
                "text": [esc(n) for n in small["name"]],
                "hovertemplate": _tooltip(label, "marker.color"),
                "marker": {
                    "size": 6 if outline else 9,
                    "color": list(small[value]),
                    "colorscale": scale,
                    "cmin": 0.5,
                    "cmax": top + 0.5,
                    "line": {"color": "#333", "width": 0.6 if outline else 0.8},
                },
            }
        )
    return traces, base_geo()


def _tooltip(label: str, value: str) -> str:
    """A map's tooltip ("<b>Canada</b><br>Engagements: 1,234") as one template for the trace, the escaped names its
    only per-country part: a text per country repeated the markup and the label, a fifth of what a map sent."""
    return f"<b>%{{text}}</b><br>{esc(label)}: %{{{value}:,.0f}}<extra></extra>"


def legend_text(frame: pd.DataFrame, *, value: str, colour: str | None = None, separator: str = "<br>") -> str:
    """The classes as plotly annotation text: a swatch in each class's colour and its range, in words."""
    data = frame[frame[value] > 0]
    top = float(data[value].max()) if len(data) else 1.0
    classes = count_classes(top)
    colours = tints(colour, len(classes)) if colour else class_colours(len(classes))
    return separator.join(f'<span style="color:{c}">■</span> {class_label(*k)}' for k, c in zip(classes, colours))


def _legend(text: str, title: str | None, *, horizontal: bool) -> dict:
    """A legend as one annotation (no extra traces): bottom left, over the ocean."""
    return {
        "text": (f"<b>{esc(title)}</b>" + ("  " if horizontal else "<br>") if title else "") + text,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "bottom",
        "align": "left",
        "showarrow": False,
        "font": {"size": 11 if horizontal else 13},
    }


def area_map(frame: pd.DataFrame, code: str, *, value: str = "engagements", height: int = 260) -> go.Figure:
    """A small world map of one mission area in tints of its own colour: no colour bar but a one-line legend
    of the count classes, countries with activity outlined (a pale tint must still stand out from bare land),
    small-state dots kept small."""
    traces, geo = _choropleth_parts(
        frame, value=value, label="Engagements", colour=vocab.MISSION_AREA_COLOURS[code], outline=True
    )
    colour = vocab.MISSION_AREA_COLOURS[code]
    legend = _legend(legend_text(frame, value=value, colour=colour, separator="  "), None, horizontal=True)
    layout = {
        "geo": geo,
        "hoverdistance": DOT_REACH,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "annotations": [legend],
    }
    return _figure(traces, layout, height=height, legend=False)
