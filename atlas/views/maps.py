"""DataFrame -> pydeck Deck, drawn with no outside requests.

The country basemap is a static file the browser fetches once (static/geo/countries.geojson) and
caches; each rerun only sends the colour of each country, as one short expression indexed by the
feature's position. No map provider, no tiles.

Tooltips: the deck has one HTML template (TOOLTIP) holding all the markup; each layer's rows carry plain
text in the fields it names (`name`, `detail`, `type`). Streamlit's frontend HTML-escapes every value it
puts into the template, so data is escaped exactly once, there: escaping it here as well would show
`&quot;` on screen. Lines of `detail` are separated by newlines, which the tooltip's style keeps.
"""

from __future__ import annotations

import hashlib
import math

import pandas as pd
import pydeck as pdk

from atlas.data import vocab
from atlas.data.countries import load_countries
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

BASEMAP_URL = "app/static/geo/countries.geojson"
PROGRAM_LAYERS = {
    "csi": ("CSI ports", (230, 159, 0)),
    "preclearance": ("Preclearance airports", (86, 180, 233)),
    "vwp": ("Visa Waiver Program members", (0, 114, 178)),
    "pcsc": ("PCSC agreements", (213, 94, 0)),
}
# Features of the static basemap carry only iso3, name and i (and GeoJSON's own type "Feature"): their
# tooltip is the bold name and a hint; the style hides the unfilled detail field (Streamlit leaves a
# field it cannot find as literal text). Rows of every other layer fill name, detail and type.
TOOLTIP = {
    "html": (
        '<div class="atlas-tip atlas-tip-{type}"><b>{name}</b><div class="atlas-tip-detail">{detail}</div>'
        "</div><style>.atlas-tip-Feature .atlas-tip-detail{display:none}"
        '.atlas-tip-Feature::after{content:"Click to open its profile";display:block}</style>'
    ),
    "style": {
        "backgroundColor": "#1f2430",
        "color": "#ffffff",
        "fontSize": "14px",
        "maxWidth": "360px",
        "whiteSpace": "pre-line",
    },
}


def colour_expression(colour_by_index: dict[int, tuple[int, ...]], default: tuple[int, ...]) -> str:
    """A deck.gl accessor expression giving each feature (by properties.i) its colour.

    deck.gl's expression language has comparisons and ternaries (no function calls), so countries sharing
    a colour are grouped: `(i == 3 || i == 9) ? [r,g,b,a] : ... : default`.
    """
    groups: dict[tuple[int, ...], list[int]] = {}
    for index, colour in sorted(colour_by_index.items()):
        groups.setdefault(tuple(colour), []).append(index)
    expression = "[{},{},{},{}]".format(*default)
    for colour, indices in sorted(groups.items(), reverse=True):
        test = " || ".join(f"properties.i == {i}" for i in indices)
        expression = f"({test}) ? [{colour[0]},{colour[1]},{colour[2]},{colour[3]}] : {expression}"
    return expression


def basemap_layer(
    activity: pd.DataFrame | None, *, value: str = "engagements", layer_id: str = "countries"
) -> pdk.Layer:
    """Countries from the static GeoJSON, shaded by `value` per iso3 (None: all neutral); pickable, so a
    click selects the feature (its properties.iso3) and a hover shows its name."""
    colours: dict[int, tuple[int, ...]] = {}
    if activity is not None and len(activity):
        top = float(activity[value].max())
        index_of = {r["iso3"]: i for i, r in enumerate(load_countries())}
        for iso3, amount in zip(activity["iso3"], activity[value]):
            if iso3 in index_of and amount > 0:
                colours[index_of[iso3]] = shade(amount, top)
    expression = colour_expression(colours, NO_ACTIVITY)
    return pdk.Layer(
        "GeoJsonLayer",
        BASEMAP_URL,
        id=layer_id,
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color=expression,
        get_line_color=list(BORDER),
        line_width_min_pixels=0.5,
        wrap_longitude=True,
        auto_highlight=True,
        highlight_color=[255, 200, 0, 140],
        # A new expression must recolour the same (cached) features.
        update_triggers={"getFillColor": [hashlib.md5(expression.encode()).hexdigest()]},
    )


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _detail(*lines: str) -> str:
    """Tooltip lines as plain text (newline-separated; empty lines dropped)."""
    return "\n".join(line for line in lines if line)


def activity_centroids(
    activity: pd.DataFrame, *, value: str = "engagements", label: str = "engagements"
) -> pd.DataFrame:
    """One point per active country (tooltips with the numbers, visibility for small states)."""
    data = activity[activity[value] > 0].copy()
    if data.empty:
        return data.assign(name=[], detail=[], type=[], radius=[], colour=[])
    top = float(data[value].max())
    data["colour"] = [list(shade(v, top))[:3] + [230] for v in data[value]]
    # Small states get a visible dot; elsewhere the dot is a discreet hover target on the shading.
    data["radius"] = [(6 if small else 3) + 4 * math.sqrt(v / top) for v, small in zip(data[value], data["small"])]
    prev = data["prev_engagements"] if "prev_engagements" in data else pd.Series(0, index=data.index)
    areas = data["top_area"] if "top_area" in data else pd.Series(None, index=data.index)
    data["name"] = [_text(n) for n in data["name"]]
    data["detail"] = [
        _detail(
            f"{v:,.0f} {label}",
            f"previous period: {p:,.0f}" if value == "engagements" else "",
            f"leading area: {vocab.mission_area_label(a)}" if isinstance(a, str) else "",
            "click to open the country profile",
        )
        for v, p, a in zip(data[value], prev, areas)
    ]
    data["type"] = "country"
    return data[["iso3", "name", "lat", "lon", "small", value, "colour", "radius", "detail", "type"]]


def centroid_layer(points: pd.DataFrame, *, layer_id: str = "activity") -> pdk.Layer:
    return pdk.Layer(
        "ScatterplotLayer",
        points,
        id=layer_id,
        pickable=True,
        get_position=["lon", "lat"],
        get_fill_color="colour",
        get_radius="radius",
        radius_units="pixels",
        stroked=True,
        get_line_color=[40, 40, 40, 200],
        line_width_min_pixels=1,
        wrap_longitude=True,
    )


def engagement_points_layer(points: pd.DataFrame, *, hexagons: bool = False) -> pdk.Layer:
    """Engagement places sized by count (or hexagon bins weighted by count, without tooltips)."""
    data = points.copy()
    if hexagons:
        return pdk.Layer(
            "HexagonLayer",
            data[["lon", "lat", "engagements"]],
            id="hexagons",
            get_position=["lon", "lat"],
            get_elevation_weight="engagements",
            get_color_weight="engagements",
            elevation_aggregation="SUM",
            color_aggregation="SUM",
            radius=150_000,
            extruded=False,
            coverage=0.9,
            opacity=0.55,
            pickable=False,
        )
    top = float(data["engagements"].max()) if len(data) else 1.0
    data["colour"] = [hex_to_rgb(vocab.MISSION_AREA_COLOURS.get(a, "#888888")) + [200] for a in data["top_area"]]
    data["radius"] = [2.5 + 9 * math.sqrt(v / top) for v in data["engagements"]]
    data["name"] = [f"{_text(p)} ({_text(c)})" for p, c in zip(data["place"], data["country"])]
    data["detail"] = [
        _detail(
            f"{n:,} engagements",
            f"mostly {vocab.mission_area_label(a)}",
            "location approximate (country centre)" if approx else "",
        )
        for n, a, approx in zip(data["engagements"], data["top_area"], data["approximate"])
    ]
    data["type"] = "place"
    return pdk.Layer(
        "ScatterplotLayer",
        data[["lon", "lat", "colour", "radius", "name", "detail", "type"]],
        id="engagements",
        get_position=["lon", "lat"],
        get_fill_color="colour",
        get_radius="radius",
        radius_units="pixels",
        pickable=True,
        stroked=False,
        wrap_longitude=True,
    )


def short_way(origin_lon: float, target_lon: float) -> float:
    """The target longitude shifted by 360 degrees when that makes the arc shorter (across the antimeridian)."""
    delta = target_lon - origin_lon
    if delta > 180:
        return target_lon - 360
    if delta < -180:
        return target_lon + 360
    return target_lon


def arc_rows(by_area: pd.DataFrame, *, top: int = 30) -> pd.DataFrame:
    """The `top` busiest partners with their arc from Washington, DC (the short way round)."""
    origin_lat, origin_lon = vocab.WASHINGTON_DC
    rows = by_area[by_area["iso3"] != "USA"]
    totals = rows.groupby(["iso3", "name", "lat", "lon"], as_index=False)["engagements"].sum()
    leading = rows.sort_values("engagements", ascending=False).drop_duplicates("iso3")[["iso3", "mission_area"]]
    data = totals.merge(leading, on="iso3").sort_values("engagements", ascending=False).head(top)
    data["src"] = [[origin_lon, origin_lat]] * len(data)
    data["dst"] = [[short_way(origin_lon, lon), lat] for lon, lat in zip(data["lon"], data["lat"])]
    return data


def arcs_layer(by_area: pd.DataFrame, *, top: int = 30) -> pdk.Layer:
    """Arcs from Washington, DC to the `top` busiest partners, coloured by each one's leading mission area.

    Drawn without depth testing: a raised arc must not hide the dots drawn after it (Monaco under the arc
    to Italy), so later layers always sit on top of the arcs.
    """
    data = arc_rows(by_area, top=top)
    biggest = float(data["engagements"].max()) if len(data) else 1.0
    data["colour"] = [hex_to_rgb(vocab.MISSION_AREA_COLOURS[a]) + [190] for a in data["mission_area"]]
    data["width"] = [1.5 + 4 * math.sqrt(v / biggest) for v in data["engagements"]]
    data["name"] = [_text(n) for n in data["name"]]
    data["detail"] = [
        _detail(f"{v:,} engagements", f"leading area: {vocab.mission_area_label(a)}")
        for a, v in zip(data["mission_area"], data["engagements"])
    ]
    data["type"] = "arc"
    return pdk.Layer(
        "ArcLayer",
        data[["iso3", "src", "dst", "colour", "width", "name", "detail", "type"]],
        id="arcs",
        get_source_position="src",
        get_target_position="dst",
        get_source_color="colour",
        get_target_color="colour",
        get_width="width",
        width_units="pixels",
        pickable=True,
        get_height=0.4,
        parameters={"depthCompare": "always", "depthWriteEnabled": False},
    )


def is_announced(status: object) -> bool:
    """A site announced but not yet operational, going by the sourced status text."""
    text = _text(status).strip().lower()
    return text.startswith(("announced", "planned")) or "not yet operational" in text or "not operational" in text


def program_rows(sites: pd.DataFrame, code: str) -> pd.DataFrame:
    """One programme's sites with their look and tooltip: operational sites solid, announced ones hollow
    (an outline in the programme's colour), sources flagged uncertain marked "?"."""
    programme, colour = PROGRAM_LAYERS[code]
    data = sites[sites["program_code"] == code].copy()
    announced = [is_announced(s) for s in data["status"]]
    data["announced"] = announced
    data["colour"] = [
        list(colour) + ([0] if ann else [230] if cur else [90]) for ann, cur in zip(announced, data["is_current"])
    ]
    data["line"] = [list(colour) + [255] if ann else [20, 20, 20, 255] for ann in announced]
    data["line_width"] = [3 if ann else 1.5 for ann in announced]
    data["name"] = [f"{_text(r.place) or _text(r.country)} ({_text(r.country)})" for r in data.itertuples()]
    data["detail"] = [
        _detail(
            _text(r.program),
            "ANNOUNCED, not yet operational" if ann else "",
            f"status: {_text(r.status)}",
            "⚠ UNCERTAIN in the sources" if r.uncertain else "",
            f"source: {_text(r.source_url).split(' ; ')[0]}",
            f"as of: {_text(r.source_as_of)}",
        )
        for r, ann in zip(data.itertuples(), announced)
    ]
    data["type"] = "site"
    data["mark"] = ["?" if u else "" for u in data["uncertain"]]
    return data


def program_layers(sites: pd.DataFrame, code: str) -> list[pdk.Layer]:
    """One programme's sites (each tooltip carrying the source and its as-of date), and a "?" beside each
    site the sources leave uncertain."""
    data = program_rows(sites, code)
    layers = [
        pdk.Layer(
            "ScatterplotLayer",
            data[["lon", "lat", "colour", "line", "line_width", "name", "detail", "type", "iso3"]],
            id=f"program_{code}",
            get_position=["lon", "lat"],
            get_fill_color="colour",
            get_radius=5,
            radius_units="pixels",
            stroked=True,
            get_line_color="line",
            get_line_width="line_width",
            line_width_units="pixels",
            pickable=True,
        )
    ]
    uncertain = data[data["mark"] != ""]
    if len(uncertain):
        layers.append(
            pdk.Layer(
                "TextLayer",
                uncertain[["lon", "lat", "mark"]],
                id=f"program_{code}_uncertain",
                get_position=["lon", "lat"],
                get_text="mark",
                get_size=15,
                get_color=[20, 20, 20, 255],
                get_pixel_offset=[10, -10],
                font_weight=700,
                outline_width=3,
                outline_color=[255, 255, 255, 255],
                pickable=False,
                font_settings={"sdf": True},
            )
        )
    return layers


def program_layer(sites: pd.DataFrame, code: str) -> pdk.Layer:
    """The site layer alone (see program_layers)."""
    return program_layers(sites, code)[0]


# The view at 1440x900 shows about 360 degrees of longitude at this zoom (a map about 1,000 px wide).
WORLD_ZOOM = 0.9


def arc_view_longitude(by_area: pd.DataFrame, *, top: int = 30) -> float:
    """The longitude to centre on so Washington and both ends of every arc are in view."""
    data = arc_rows(by_area, top=top)
    ends = [vocab.WASHINGTON_DC[1], *(lon for lon, _ in data["dst"])]
    return (min(ends) + max(ends)) / 2


def deck(
    layers: list[pdk.Layer],
    *,
    zoom: float = WORLD_ZOOM,
    latitude: float = 20.0,
    longitude: float = -20.0,
    height: int = 560,
) -> pdk.Deck:
    """A deck with no map provider (no tiles, no requests) and a repeating world for antimeridian arcs."""
    return pdk.Deck(
        layers=layers,
        map_provider=None,
        initial_view_state=pdk.ViewState(latitude=latitude, longitude=longitude, zoom=zoom, min_zoom=0.3, max_zoom=8),
        views=[pdk.View(type="MapView", controller=True, repeat=True)],
        tooltip=TOOLTIP,
        height=height,
    )
