"""The Activity map as one plotly geo figure, drawn offline over the bundled topojson (no tiles, no requests).

Why plotly and not pydeck: deck.gl picks the object under the mouse synchronously on pointerdown, and its
click recogniser drops a press longer than 250 ms. Picking the country basemap takes seconds where WebGL runs
in software (headless or remote desktops, SwiftShader), and Streamlit's deck component passes no option to
relax it, so a real click on a country did nothing there. Plotly's geo maps are SVG and take the click.

Layers, bottom to top (later traces draw on top and win the hover and the click): countries shaded by count
class, arcs from Washington (no hover of their own: the country they end in has it), hexagon bins, engagement
places, a dot per active country (a visible one for small states, so Monaco sits above the arc to Italy),
programme sites. Every text from the data is escaped once (figures.esc); plotly renders the markup we add
(bold name, line breaks) and shows escaped text as the characters themselves.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from atlas.data import vocab
from atlas.data.countries import load_countries
from atlas.views.figures import _figure, esc
from atlas.views.scales import (  # noqa: F401  (re-exported: the maps' colour scale)
    BLUES,
    BORDER,
    MAX_CLASSES,
    NO_ACTIVITY,
    class_colours,
    class_label,
    class_of,
    count_classes,
    hex_to_rgb,
    legend,
    shade,
)
from atlas.views.worldmap import DOT_REACH, base_geo, class_scale

PROGRAM_LAYERS = {
    "csi": ("CSI ports", "#E69F00"),
    "preclearance": ("Preclearance airports", "#56B4E9"),
    "vwp": ("Visa Waiver Program members", "#0072B2"),
    "pcsc": ("PCSC agreements", "#D55E00"),
}
# The longitude the world is centred on: the seam falls in the mid-Pacific (170 W), so no country of note is
# cut and every arc, drawn within 180 degrees of it, lands on visible land (Japan by way of Europe and Asia).
CENTRE_LON = 10.0
CLICK_HINT = "click to open the country profile"


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _hover(name: object, *lines: str) -> str:
    """Tooltip markup: the escaped name in bold, then the (already escaped) non-empty lines."""
    return "<br>".join([f"<b>{esc(name)}</b>", *(line for line in lines if line)])


def _wrapped(text: object, *, width: int = 70) -> str:
    """Escaped text in lines of at most `width` characters: plotly does not wrap a tooltip, and a long source
    note would run off the map."""
    return "<br>".join(esc(line) for line in textwrap.wrap(_text(text), width, break_on_hyphens=False)) or ""


def _rgba(colour: tuple[int, ...] | list[int]) -> str:
    r, g, b, *a = colour
    return f"rgba({r},{g},{b},{(a[0] if a else 255) / 255:.2f})"


def activity_centroids(
    activity: pd.DataFrame, *, value: str = "engagements", label: str = "engagements"
) -> pd.DataFrame:
    """One row per active country with its tooltip (`hover`), dot size and colour."""
    data = activity[activity[value] > 0].copy()
    if data.empty:
        return data.assign(hover=[], size=[], colour=[])
    top = float(data[value].max())
    data["colour"] = [_rgba(shade(v, top)) for v in data[value]]
    # Small states get a visible dot; elsewhere the dot is a discreet hover target on the shading.
    data["size"] = [(11 if small else 6) + 8 * math.sqrt(v / top) for v, small in zip(data[value], data["small"])]
    prev = data["prev_engagements"] if "prev_engagements" in data else pd.Series(None, index=data.index)
    areas = data["top_area"] if "top_area" in data else pd.Series(None, index=data.index)
    data["hover"] = [
        _hover(
            n,
            f"{v:,.0f} {esc(label)}",
            f"previous period: {p:,.0f}" if value == "engagements" and pd.notna(p) else "",
            f"leading area: {esc(vocab.mission_area_label(a))}" if isinstance(a, str) else "",
            CLICK_HINT,
        )
        for n, v, p, a in zip(data["name"], data[value], prev, areas)
    ]
    return data


def country_traces(activity: pd.DataFrame, *, value: str = "engagements") -> tuple[list[dict], list[dict]]:
    """The shaded countries (one choropleth) and the dots of active countries, each carrying its iso3."""
    data = activity_centroids(activity, value=value)
    if data.empty:
        return [], []
    top = float(data[value].max())
    classes = count_classes(top)
    shapes = {
        "type": "choropleth",
        "locations": list(data["iso3"]),
        "z": list(data[value]),
        "locationmode": "ISO-3",
        "colorscale": class_scale(top, class_colours(len(classes))),
        "zmin": 0.5,
        "zmax": top + 0.5,
        "hovertext": list(data["hover"]),
        "hoverinfo": "text",
        "marker": {"line": {"color": "white", "width": 0.4}},
        "showscale": False,
        "customdata": list(data["iso3"]),
        "name": "Countries",
    }
    # Plotly's hover goes to the marker nearest the mouse, measured from its edge (a smaller marker is nearer),
    # else to the shape under it. Dots of large countries only show where the activity is (the shape under them
    # answers the hover and the click); a small state's dot answers itself, above the arcs and its neighbours.
    small = data["small"].astype(bool)
    dots = [
        {
            "type": "scattergeo",
            "lat": list(part["lat"]),
            "lon": list(part["lon"]),
            "mode": "markers",
            "marker": {
                "size": list(part["size"]),
                "color": list(part["colour"]),
                "line": {"color": "#282828", "width": 1},
            },
            "hovertext": list(part["hover"]),
            "hoverinfo": "text" if name == "Small states" else "skip",
            "customdata": list(part["iso3"]),
            "name": name,
        }
        for name, part in (("Active countries", data[~small]), ("Small states", data[small]))
        if len(part)
    ]
    return [shapes], dots


def in_frame(lon: float, centre: float = CENTRE_LON) -> float:
    """`lon` shifted by whole turns into [centre - 180, centre + 180): where the map draws it."""
    return (lon - centre + 180) % 360 - 180 + centre


def arc_rows(by_area: pd.DataFrame, *, top: int = 30) -> pd.DataFrame:
    """The `top` busiest partners with their leading mission area and the arc's end (lon in frame)."""
    origin_lat, origin_lon = vocab.WASHINGTON_DC
    rows = by_area[by_area["iso3"] != "USA"]
    totals = rows.groupby(["iso3", "name", "lat", "lon"], as_index=False)["engagements"].sum()
    leading = rows.sort_values("engagements", ascending=False).drop_duplicates("iso3")[["iso3", "mission_area"]]
    data = totals.merge(leading, on="iso3").sort_values("engagements", ascending=False).head(top)
    data["src"] = [[in_frame(origin_lon), origin_lat]] * len(data)
    data["dst"] = [[in_frame(lon), lat] for lon, lat in zip(data["lon"], data["lat"])]
    return data


def arc_path(src: list[float], dst: list[float], *, steps: int = 32) -> tuple[list[float], list[float]]:
    """A curve bowed towards the pole from src to dst, as (lons, lats) close enough together that plotly's
    great-circle segments follow it; it never leaves the frame, since both ends are in it."""
    (x0, y0), (x1, y1) = src, dst
    span = math.hypot(x1 - x0, y1 - y0)
    cx, cy = (x0 + x1) / 2, min(82.0, (y0 + y1) / 2 + min(0.2 * span, 28.0))
    lons, lats = [], []
    for i in range(steps + 1):
        t = i / steps
        lons.append((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1)
        lats.append((1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1)
    return lons, lats


def arc_traces(by_area: pd.DataFrame, *, top: int = 30) -> list[dict]:
    """One line per partner from Washington, DC, in its leading area's colour, wider for more engagements;
    no hover of their own (the country and its dot at the end carry the numbers)."""
    data = arc_rows(by_area, top=top)
    biggest = float(data["engagements"].max()) if len(data) else 1.0
    traces = []
    for row in data.itertuples():
        lons, lats = arc_path(row.src, row.dst)
        traces.append(
            {
                "type": "scattergeo",
                "lon": lons,
                "lat": lats,
                "mode": "lines",
                "line": {
                    "color": vocab.MISSION_AREA_COLOURS[row.mission_area],
                    "width": 1 + 3 * math.sqrt(row.engagements / biggest),
                },
                "opacity": 0.8,
                "hoverinfo": "skip",
                "name": f"arc {row.iso3}",
            }
        )
    return traces


def _iso3_by_name() -> dict[str, str]:
    return {c["name"]: c["iso3"] for c in load_countries()}


def places_trace(points: pd.DataFrame) -> dict:
    """Engagement places sized by count, in the colour of their leading area; a click opens the country."""
    top = float(points["engagements"].max()) if len(points) else 1.0
    iso3 = _iso3_by_name()
    return {
        "type": "scattergeo",
        "lat": list(points["lat"]),
        "lon": list(points["lon"]),
        "mode": "markers",
        "marker": {
            "size": [5 + 16 * math.sqrt(v / top) for v in points["engagements"]],
            "color": [vocab.MISSION_AREA_COLOURS.get(a, "#888888") for a in points["top_area"]],
            "opacity": 0.8,
            "line": {"color": "white", "width": 0.5},
        },
        "hovertext": [
            _hover(
                f"{_text(p)} ({_text(c)})",
                f"{n:,} engagements",
                f"mostly {esc(vocab.mission_area_label(a))}",
                "location approximate (country centre)" if approx else "",
            )
            for p, c, n, a, approx in zip(
                points["place"], points["country"], points["engagements"], points["top_area"], points["approximate"]
            )
        ],
        "hoverinfo": "text",
        "customdata": [iso3.get(c, "") for c in points["country"]],
        "name": "Engagement places",
    }


HEX_DEGREES = 3.0


def hexagon_bins(points: pd.DataFrame, *, size: float = HEX_DEGREES) -> pd.DataFrame:
    """Engagements summed into a pointy-top hexagon grid `size` degrees across (lon/lat), one row per bin."""
    if points.empty:
        return pd.DataFrame({"lon": [], "lat": [], "engagements": []})
    width, height = size, size * math.sqrt(3) / 2
    rows = []
    for lon, lat, n in zip(points["lon"], points["lat"], points["engagements"]):
        r = round(lat / height)
        q = round((lon - (r % 2) * width / 2) / width)
        rows.append((q * width + (r % 2) * width / 2, r * height, n))
    frame = pd.DataFrame(rows, columns=["lon", "lat", "engagements"])
    return frame.groupby(["lon", "lat"], as_index=False)["engagements"].sum()


def hexagon_trace(points: pd.DataFrame) -> dict:
    """Hexagon bins of the engagement places, shaded by count class (a density view: no hover, no click)."""
    bins = hexagon_bins(points)
    top = float(bins["engagements"].max()) if len(bins) else 1.0
    return {
        "type": "scattergeo",
        "lat": list(bins["lat"]),
        "lon": list(bins["lon"]),
        "mode": "markers",
        "marker": {
            "symbol": "hexagon",
            "size": 13,
            "color": [_rgba(shade(v, top)) for v in bins["engagements"]],
            "opacity": 0.7,
            "line": {"width": 0},
        },
        "hoverinfo": "skip",
        "name": "Hexagons",
    }


def is_announced(status: object) -> bool:
    """A site announced but not yet operational, going by the sourced status text."""
    text = _text(status).strip().lower()
    return text.startswith(("announced", "planned")) or "not yet operational" in text or "not operational" in text


def program_rows(sites: pd.DataFrame, code: str) -> pd.DataFrame:
    """One programme's sites with their look and tooltip: operational sites solid, announced ones hollow
    (an outline in the programme's colour), sources flagged uncertain marked "?"."""
    programme, colour = PROGRAM_LAYERS[code]
    data = sites[sites["program_code"] == code].copy()
    data["announced"] = [is_announced(s) for s in data["status"]]
    data["symbol"] = ["circle-open" if ann else "circle" for ann in data["announced"]]
    data["opacity"] = [1.0 if ann or cur else 0.45 for ann, cur in zip(data["announced"], data["is_current"])]
    data["name"] = [f"{_text(r.place) or _text(r.country)} ({_text(r.country)})" for r in data.itertuples()]
    data["detail"] = [
        "<br>".join(
            line
            for line in (
                esc(r.program),
                "ANNOUNCED, not yet operational" if r.announced else "",
                _wrapped(f"status: {_text(r.status)}"),
                "⚠ UNCERTAIN in the sources" if r.uncertain else "",
                _wrapped(f"source: {_text(r.source_url).split(' ; ')[0]}"),
                _wrapped(f"as of: {_text(r.source_as_of)}"),
            )
            if line
        )
        for r in data.itertuples()
    ]
    data["hover"] = [f"<b>{esc(n)}</b><br>{d}" for n, d in zip(data["name"], data["detail"])]
    data["mark"] = ["?" if u else "" for u in data["uncertain"]]
    return data


def program_traces(sites: pd.DataFrame, code: str) -> list[dict]:
    """One programme's sites (each tooltip carrying the source and its as-of date; a click opens the country),
    with a "?" beside each site the sources leave uncertain."""
    data = program_rows(sites, code)
    colour = PROGRAM_LAYERS[code][1]
    return [
        {
            "type": "scattergeo",
            "lat": list(data["lat"]),
            "lon": list(data["lon"]),
            "mode": "markers+text",
            "text": list(data["mark"]),
            "textposition": "top right",
            "textfont": {"size": 15, "color": "#141414", "weight": 700},
            "marker": {
                "size": 9,  # smaller than a small state's dot: nearer the mouse by plotly's measure, so it wins
                "symbol": list(data["symbol"]),
                "color": colour,
                "opacity": list(data["opacity"]),
                "line": {"color": [colour if a else "#141414" for a in data["announced"]], "width": 2},
            },
            "hovertext": list(data["hover"]),
            "hoverinfo": "text",
            "customdata": list(data["iso3"]),
            "name": f"program_{code}",
        }
    ]


def activity_map(
    activity: pd.DataFrame,
    *,
    by_area: pd.DataFrame | None = None,
    places: pd.DataFrame | None = None,
    hexagons: pd.DataFrame | None = None,
    sites: pd.DataFrame | None = None,
    programmes: tuple[str, ...] | list[str] = (),
    overlays: list[dict] | None = None,
    height: int = 560,
) -> go.Figure:
    """The Activity map: countries by count class, then (each optional) arcs from `by_area`, hexagon bins and
    places of the engagement points, the sites of `programmes` from `sites`, and `overlays` on top (traces such
    as the organizations' headquarters and arcs, atlas.views.organizations.map_traces)."""
    shapes, dots = country_traces(activity)
    traces = [*shapes]
    if by_area is not None and len(by_area):
        traces += arc_traces(by_area)
    if hexagons is not None and len(hexagons):
        traces.append(hexagon_trace(hexagons))
    if places is not None and len(places):
        traces.append(places_trace(places))
    traces += dots
    for code in programmes:
        if sites is not None:
            traces += program_traces(sites, code)
    traces += overlays or []
    geo = base_geo(CENTRE_LON)
    layout = {
        "geo": geo,
        "hoverdistance": DOT_REACH,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "hoverlabel": {"align": "left"},
    }
    return _figure(traces, layout, height=height, legend=False)
