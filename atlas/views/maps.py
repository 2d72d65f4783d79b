"""DataFrame -> pydeck Deck, drawn with no outside requests.

The country basemap is a static file the browser fetches once (static/geo/countries.geojson) and
caches; each rerun only sends the colour of each country, as one short expression indexed by the
feature's position. No map provider, no tiles. Tooltip fields are escaped here, because the deck
tooltip renders HTML.
"""
from __future__ import annotations

import hashlib
import html
import math

import pandas as pd
import pydeck as pdk

from atlas.data import vocab
from atlas.data.countries import load_countries

BASEMAP_URL = "app/static/geo/countries.geojson"
# Translucent, so the map reads on the light and the dark theme alike (the map cannot know which is on):
# land without activity is light grey on white and dark grey on black; borders are a soft line on both.
NO_ACTIVITY = (140, 150, 165, 90)
BORDER = (255, 255, 255, 130)
# Sequential blues from light to dark (ColorBrewer Blues), for activity shading.
BLUES = ((198, 219, 239), (158, 202, 225), (107, 174, 214), (66, 146, 198), (33, 113, 181), (8, 69, 148))
PROGRAM_LAYERS = {
    "csi": ("CSI ports", (230, 159, 0)),
    "preclearance": ("Preclearance airports", (86, 180, 233)),
    "vwp": ("Visa Waiver Program members", (0, 114, 178)),
    "pcsc": ("PCSC agreements", (213, 94, 0)),
}
TOOLTIP = {
    "html": "{tip}",
    "style": {"backgroundColor": "#1f2430", "color": "#ffffff", "fontSize": "14px", "maxWidth": "360px"},
}


def esc(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def hex_to_rgb(colour: str) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)]


def shade(value: float, top: float) -> tuple[int, int, int, int]:
    """A blue for `value` on a log scale up to `top`: the busiest partners do not wash out the rest."""
    if not value or value <= 0 or not top:
        return NO_ACTIVITY
    step = math.log1p(value) / math.log1p(top)
    return (*BLUES[min(len(BLUES) - 1, int(step * (len(BLUES) - 1) + 0.5))], 255)


def colour_expression(colour_by_index: dict[int, tuple[int, ...]], default: tuple[int, ...]) -> str:
    """A deck.gl accessor expression giving each feature (by properties.i) its colour.

    deck.gl's expression language has comparisons and ternaries but no array or string indexing,
    so countries sharing a colour are grouped: `(i == 3 || i == 9) ? [r,g,b,a] : ... : default`.
    """
    groups: dict[tuple[int, ...], list[int]] = {}
    for index, colour in sorted(colour_by_index.items()):
        groups.setdefault(tuple(colour), []).append(index)
    expression = "[%d,%d,%d,%d]" % tuple(default)
    for colour, indices in sorted(groups.items(), reverse=True):
        test = " || ".join(f"properties.i == {i}" for i in indices)
        expression = f"({test}) ? [{colour[0]},{colour[1]},{colour[2]},{colour[3]}] : {expression}"
    return expression


def basemap_layer(activity: pd.DataFrame | None, *, value: str = "engagements", layer_id: str = "countries") -> pdk.Layer:
    """Countries from the static GeoJSON, shaded by `value` per iso3 (None: all neutral)."""
    colours: dict[int, tuple[int, ...]] = {}
    if activity is not None and len(activity):
        top = float(activity[value].max())
        index_of = {r["iso3"]: i for i, r in enumerate(load_countries())}
        for iso3, amount in zip(activity["iso3"], activity[value]):
            if iso3 in index_of and amount > 0:
                colours[index_of[iso3]] = shade(amount, top)
    expression = colour_expression(colours, NO_ACTIVITY)
    return pdk.Layer(
        "GeoJsonLayer", BASEMAP_URL, id=layer_id, pickable=True, stroked=True, filled=True,
        get_fill_color=expression, get_line_color=list(BORDER), line_width_min_pixels=0.5,
        wrap_longitude=True, auto_highlight=True, highlight_color=[255, 200, 0, 140],
        # A new expression must recolour the same (cached) features.
        update_triggers={"getFillColor": [hashlib.md5(expression.encode()).hexdigest()]},
    )


def _tip(*lines: str) -> str:
    return "<br/>".join(lines)


def activity_centroids(activity: pd.DataFrame, *, value: str = "engagements", label: str = "engagements") -> pd.DataFrame:
    """One point per active country (tooltips for every country, visibility for small states)."""
    data = activity[activity[value] > 0].copy()
    if data.empty:
        return data.assign(tip=[], radius=[], colour=[])
    top = float(data[value].max())
    data["colour"] = [list(shade(v, top))[:3] + [230] for v in data[value]]
    # Small states get a visible dot; elsewhere the dot is a discreet hover target on the shading.
    data["radius"] = [(6 if small else 2) + 4 * math.sqrt(v / top) for v, small in zip(data[value], data["small"])]
    prev = data["prev_engagements"] if "prev_engagements" in data else pd.Series(0, index=data.index)
    data["tip"] = [
        _tip(f"<b>{esc(n)}</b>", f"{v:,.0f} {label}",
             f"previous period: {p:,.0f}" if value == "engagements" else "",
             f"leading area: {esc(vocab.mission_area_label(a))}" if isinstance(a, str) else "",
             "click to open the country profile")
        for n, v, p, a in zip(data["name"], data[value], prev, data.get("top_area", pd.Series(None, index=data.index)))
    ]
    return data[["iso3", "name", "lat", "lon", "small", value, "colour", "radius", "tip"]]


def centroid_layer(points: pd.DataFrame, *, layer_id: str = "activity") -> pdk.Layer:
    return pdk.Layer(
        "ScatterplotLayer", points, id=layer_id, pickable=True, get_position=["lon", "lat"],
        get_fill_color="colour", get_radius="radius", radius_units="pixels", stroked=True,
        get_line_color=[40, 40, 40, 200], line_width_min_pixels=1, wrap_longitude=True,
    )


def engagement_points_layer(points: pd.DataFrame, *, hexagons: bool = False) -> pdk.Layer:
    """Engagement places sized by count (or hexagon bins weighted by count)."""
    data = points.copy()
    if hexagons:
        return pdk.Layer(
            "HexagonLayer", data[["lon", "lat", "engagements"]], id="hexagons", get_position=["lon", "lat"],
            get_elevation_weight="engagements", get_color_weight="engagements", elevation_aggregation="SUM",
            color_aggregation="SUM", radius=150_000, extruded=False, coverage=0.9, opacity=0.55, pickable=False,
        )
    top = float(data["engagements"].max()) if len(data) else 1.0
    data["colour"] = [hex_to_rgb(vocab.MISSION_AREA_COLOURS.get(a, "#888888")) + [200] for a in data["top_area"]]
    data["radius"] = [2.5 + 9 * math.sqrt(v / top) for v in data["engagements"]]
    data["tip"] = [
        _tip(f"<b>{esc(p)}</b> ({esc(c)})", f"{n:,} engagements", f"mostly {esc(vocab.mission_area_label(a))}",
             "location approximate (country centre)" if approx else "")
        for p, c, n, a, approx in zip(data["place"], data["country"], data["engagements"], data["top_area"],
                                      data["approximate"])
    ]
    return pdk.Layer(
        "ScatterplotLayer", data[["lon", "lat", "colour", "radius", "tip"]], id="engagements",
        get_position=["lon", "lat"], get_fill_color="colour", get_radius="radius", radius_units="pixels",
        pickable=True, stroked=False, wrap_longitude=True,
    )


def short_way(origin_lon: float, target_lon: float) -> float:
    """The target longitude shifted by 360 degrees when that makes the arc shorter (across the antimeridian)."""
    delta = target_lon - origin_lon
    if delta > 180:
        return target_lon - 360
    if delta < -180:
        return target_lon + 360
    return target_lon


def arcs_layer(by_area: pd.DataFrame, *, top: int = 30) -> pdk.Layer:
    """Arcs from Washington, DC to the `top` busiest partners, coloured by each one's leading mission area."""
    origin_lat, origin_lon = vocab.WASHINGTON_DC
    rows = by_area[by_area["iso3"] != "USA"]
    totals = rows.groupby(["iso3", "name", "lat", "lon"], as_index=False)["engagements"].sum()
    leading = rows.sort_values("engagements", ascending=False).drop_duplicates("iso3")[["iso3", "mission_area"]]
    data = totals.merge(leading, on="iso3").sort_values("engagements", ascending=False).head(top)
    biggest = float(data["engagements"].max()) if len(data) else 1.0
    data["src"] = [[origin_lon, origin_lat]] * len(data)
    data["dst"] = [[short_way(origin_lon, lon), lat] for lon, lat in zip(data["lon"], data["lat"])]
    data["colour"] = [hex_to_rgb(vocab.MISSION_AREA_COLOURS[a]) + [190] for a in data["mission_area"]]
    data["width"] = [1.5 + 4 * math.sqrt(v / biggest) for v in data["engagements"]]
    data["tip"] = [_tip(f"<b>{esc(n)}</b>", f"{v:,} engagements",
                        f"leading area: {esc(vocab.mission_area_label(a))}")
                   for n, a, v in zip(data["name"], data["mission_area"], data["engagements"])]
    return pdk.Layer(
        "ArcLayer", data[["src", "dst", "colour", "width", "tip"]], id="arcs", get_source_position="src",
        get_target_position="dst", get_source_color="colour", get_target_color="colour", get_width="width",
        width_units="pixels", pickable=True, get_height=0.4,
    )


def program_layer(sites: pd.DataFrame, code: str) -> pdk.Layer:
    """One programme's sites, each tooltip carrying the source and its as-of date."""
    name, colour = PROGRAM_LAYERS[code]
    data = sites[sites["program_code"] == code].copy()
    data["colour"] = [list(colour) + ([230] if cur else [90]) for cur in data["is_current"]]
    data["tip"] = [
        _tip(f"<b>{esc(r.place or r.country)}</b> ({esc(r.country)})", esc(r.program), f"status: {esc(r.status)}",
             "⚠ uncertain in the sources" if r.uncertain else "",
             f"source: {esc(r.source_url.split(' ; ')[0])}", f"as of: {esc(r.source_as_of)}")
        for r in data.itertuples()
    ]
    return pdk.Layer(
        "ScatterplotLayer", data[["lon", "lat", "colour", "tip", "iso3"]], id=f"program_{code}",
        get_position=["lon", "lat"], get_fill_color="colour", get_radius=5, radius_units="pixels",
        stroked=True, get_line_color=[20, 20, 20, 255], line_width_min_pixels=1.5, pickable=True,
    )


def deck(layers: list[pdk.Layer], *, zoom: float = 1.1, latitude: float = 25.0, longitude: float = -20.0,
         height: int = 560) -> pdk.Deck:
    """A deck with no map provider (no tiles, no requests) and a repeating world for antimeridian arcs."""
    return pdk.Deck(
        layers=layers, map_provider=None,
        initial_view_state=pdk.ViewState(latitude=latitude, longitude=longitude, zoom=zoom, min_zoom=0.3, max_zoom=8),
        views=[pdk.View(type="MapView", controller=True, repeat=True)],
        tooltip=TOOLTIP, height=height,
    )
