"""The projector look of the briefing: light text on a deep navy, large type, brighter mission-area colours.

`style(fig)` restyles any figure of atlas.views for the wall screen and the exported files.
"""

from __future__ import annotations

import plotly.graph_objects as go

from atlas.data import vocab
from atlas.views import figures

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
    fig = go.Figure(fig)
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
    for trace in fig.data:  # the mission-area colours, brighter on the navy
        for part in ("marker", "line"):
            if "color" in getattr(trace, part, {}) and isinstance(trace[part].color, str):
                trace[part].color = _brighter(trace[part].color)
        if "fillcolor" in trace and isinstance(trace.fillcolor, str):
            trace.fillcolor = _brighter(trace.fillcolor)
    fig.update_geos(bgcolor=BACKGROUND, landcolor="#24324f", countrycolor="#4a5b80", showocean=False)
    # On a dark screen "more" must be brighter, not darker.
    fig.update_traces(
        selector=dict(type="choropleth"),
        marker_line_color=BACKGROUND,
        colorscale=PROJECTOR_SCALE,
        colorbar=dict(
            tickfont=big,
            title=dict(font=big),
            thickness=20,
            len=0.7,
            # large tick labels below their ticks, so the top one clears the title
            ticklabelposition="outside bottom",
        ),
    )
    fig.update_traces(selector=dict(type="scattergeo", mode="markers"), marker_colorscale=PROJECTOR_SCALE)
    return fig
