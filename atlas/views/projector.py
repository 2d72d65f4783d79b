"""The projector look of the briefing: light text on a deep navy, large type, brighter mission-area colours.

`style(fig)` restyles any figure of atlas.views for the wall screen and the exported files.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas import config
from atlas.data import vocab
from atlas.views import figures, worldmap
from atlas.views.flatmap import MapPicture, MapStyle
from atlas.views.scales import class_label, count_classes

# Projector theme: light text on a deep navy, large type.
BACKGROUND = "#0b1630"
FOREGROUND = "#f4f6fb"
MUTED = "#b8c2d6"
ACCENT = "#F0E442"
PROJECTOR_SCALE = [[0.0, "#1f3b6f"], [0.08, "#2f6db5"], [0.3, "#56B4E9"], [1.0, "#F0E442"]]
CHART_TEXT = 24  # nothing on a slide is smaller, across a room


def luminance(colour: str) -> float:
    """WCAG relative luminance of a '#rrggbb' colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lighten(colour: str, minimum: float = 3.0, background: str = BACKGROUND) -> str:
    """The colour mixed with white just enough to stand out `minimum`:1 against the (dark) background."""
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    for step in range(21):
        t = step / 20
        mixed = "#" + "".join(f"{round(c + (255 - c) * t):02X}" for c in rgb)
        if contrast(mixed, background) >= minimum:
            return mixed
    return "#FFFFFF"


# The mission-area colours for the projector: the page colours (vocab) brightened where the navy would swallow them
# (4.5:1, above the 3:1 floor for graphics: a projector in a lit room loses contrast).
AREA_COLOURS = {code: lighten(colour, 4.5) for code, colour in vocab.MISSION_AREA_COLOURS.items()}
_BRIGHTER = {colour.upper(): AREA_COLOURS[code] for code, colour in vocab.MISSION_AREA_COLOURS.items()}


def _brighter(value: object) -> object:
    return _BRIGHTER.get(value.upper(), value) if isinstance(value, str) else value


def style(fig: go.Figure, *, height: int = 700) -> go.Figure:
    """Large type and projector colours for a figure shown on the wall or exported; axes make room for
    their own labels (automargin), so tick labels are never clipped nor run into the axis title."""
    fig = go.Figure(fig, _validate=config.validate_figures())
    big = dict(size=CHART_TEXT, color=FOREGROUND)
    fig.update_layout(
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        height=height,
        title=None,
        font=dict(size=CHART_TEXT, color=FOREGROUND, family=figures.FONT),
        margin=dict(l=10, r=30, t=10, b=10),
        legend=dict(font=big, orientation="h", y=1.02, yanchor="bottom", x=0, xanchor="left"),
        hoverlabel=dict(font_size=CHART_TEXT),
    )
    for axes in (fig.update_xaxes, fig.update_yaxes):
        axes(
            gridcolor="#2a3a5e",
            zerolinecolor="#2a3a5e",
            title_font=big,
            tickfont=big,
            automargin=True,
            title_standoff=16,
        )
    fig.update_annotations(font=big)
    # A note under the plot (the partial months) goes below the tick row, in a bottom margin made for both: at
    # this size its page offset would put it over the tick labels and past the figure's edge.
    # (hanging from the plot's bottom edge: a legend standing on it, as the map's, stays where it is)
    below = [
        a for a in fig.layout.annotations if a.yref == "paper" and a.y is not None and a.y <= 0 and a.yanchor == "top"
    ]
    if below:
        tick_row = round(CHART_TEXT * 1.6)
        for note in below:
            note.update(yshift=-tick_row, yanchor="top")
        fig.update_layout(margin_b=tick_row + round(CHART_TEXT * 1.5))
    for trace in fig.data:  # the mission-area colours, brighter on the navy
        for part in ("marker", "line"):
            if "color" in getattr(trace, part, {}) and isinstance(trace[part].color, str):
                trace[part].color = _brighter(trace[part].color)
        if "fillcolor" in trace and isinstance(trace.fillcolor, str):
            trace.fillcolor = _brighter(trace.fillcolor)
    fig.update_geos(bgcolor=BACKGROUND, landcolor="#24324f", countrycolor="#4a5b80", showocean=False)
    fig.update_traces(
        selector=dict(type="choropleth"),
        marker_line_color=BACKGROUND,
        colorbar=dict(tickfont=big, title=dict(font=big), thickness=20, len=0.7, ticklabelposition="outside bottom"),
    )
    return fig


def class_colours(count: int) -> list[str]:
    """`count` colours along the projector scale, from the first step above bare land to the brightest."""
    stops: list[tuple[float, tuple[int, ...]]] = [
        (float(str(p)), tuple(int(str(c).lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)))
        for p, c in PROJECTOR_SCALE[1:]
    ]
    out = []
    for i in range(count):
        t = stops[0][0] + (1 - stops[0][0]) * (i / (count - 1) if count > 1 else 1)
        (p0, a), (p1, b) = next((x, y) for x, y in zip(stops, stops[1:]) if t <= y[0] + 1e-9)
        share = (t - p0) / (p1 - p0)
        out.append("#" + "".join(f"{round(u + (v - u) * share):02X}" for u, v in zip(a, b)))
    return out


def world_map(countries: pd.DataFrame, leaders: pd.DataFrame) -> go.Figure:
    """The map slide: count classes in projector colours (on a dark screen more is brighter), the legend in the
    same colours, and the `leaders` (name, lat, lon, engagements) named on the map, their labels kept apart."""
    fig = worldmap.world_choropleth(countries)
    data = countries[countries.engagements > 0]
    top = float(data.engagements.max()) if len(data) else 1.0
    classes = count_classes(top)
    colours = class_colours(len(classes))
    scale = worldmap.class_scale(top, colours)
    fig.update_traces(selector=dict(type="choropleth"), colorscale=scale)
    fig.update_traces(selector=dict(type="scattergeo"), marker_colorscale=scale)
    legend = "<br>".join(f'<span style="color:{c}">■</span> {class_label(*k)}' for k, c in zip(classes, colours))
    fig.update_annotations(text=f"<b>Engagements</b><br>{legend}")
    texts = [f"{figures.esc(r.name)} {int(r.engagements):,}" for r in leaders.itertuples()]
    fig.add_trace(
        go.Scattergeo(
            lat=list(leaders.lat),
            lon=list(leaders.lon),
            mode="markers+text",
            hoverinfo="skip",
            showlegend=False,
            text=texts,
            textposition=label_positions(list(leaders.lon), list(leaders.lat), texts),
            marker=dict(size=10, color=ACCENT, line=dict(color=BACKGROUND, width=1)),
            textfont=dict(size=CHART_TEXT, color=FOREGROUND, family=figures.FONT, shadow=f"0 0 4px {BACKGROUND}"),
            name="Leading partners",
        )
    )
    return fig


def map_picture(countries: pd.DataFrame, leaders: pd.DataFrame) -> MapPicture:
    """The same map for the files, drawn without a browser (atlas.views.flatmap): classes, legend, named leaders."""
    data = countries[countries.engagements > 0]
    classes = count_classes(float(data.engagements.max()) if len(data) else 1.0)
    colours = class_colours(len(classes))

    def colour(value: float) -> str:
        return next((c for (low, high), c in zip(classes, colours) if low <= value <= high), colours[-1])

    small = data[data["small"].astype(bool)]
    return MapPicture(
        fills={r.iso3: colour(r.engagements) for r in data.itertuples()},
        dots=[(r.lon, r.lat, colour(r.engagements)) for r in small.itertuples()],
        labels=[(r.lon, r.lat, f"{r.name} {int(r.engagements):,}") for r in leaders.itertuples()],
        legend=[(c, class_label(*k)) for k, c in zip(classes, colours)],
        legend_title="Engagements",
        marker=ACCENT,
    )


MAP_STYLE = MapStyle(background=BACKGROUND, land="#24324f", border=BACKGROUND, text=FOREGROUND, halo=BACKGROUND)


def label_positions(lons: list[float], lats: list[float], texts: list[str], size: int = CHART_TEXT) -> list[str]:
    """A text position for each point's label so that no two labels (nor a label and another's point) overlap, on
    the full-width map (about 4.4 px per degree of longitude, 5.8 per degree of latitude): right of the point if
    free, else left, below or above."""
    placed: list[tuple[float, float, float, float]] = []
    points = [(lon * 4.4, -lat * 5.8) for lon, lat in zip(lons, lats)]
    out = []
    for (x, y), text in zip(points, texts):
        w, h = len(text) * size * 0.56, size * 1.1
        options = {
            "middle right": (x + 8, y - h / 2, x + 8 + w, y + h / 2),
            "middle left": (x - 8 - w, y - h / 2, x - 8, y + h / 2),
            "bottom center": (x - w / 2, y + 8, x + w / 2, y + 8 + h),
            "top center": (x - w / 2, y - 8 - h, x + w / 2, y - 8),
        }
        dots = [(px - 6, py - 6, px + 6, py + 6) for px, py in points if (px, py) != (x, y)]
        free = [k for k, box in options.items() if not any(_overlap(box, other) for other in placed + dots)]
        choice = free[0] if free else "middle right"
        placed.append(options[choice])
        out.append(choice)
    return out


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
