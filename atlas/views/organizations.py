"""International organizations as figures: the Overview's ranking, a profile's mission-area mix and partner
countries, and the Activity map's headquarters markers and arcs from Washington. No streamlit, no queries.

A figure per organization counts an engagement once for each organization it names, so the bars of several
organizations may add up to more than the engagements. A bar or marker that opens an organization's profile
carries `org:<code>` as its customdata (CLICK_PREFIX): never a country code, so a country click is never
mistaken for it, nor it for a country.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from atlas.data import vocab
from atlas.views.figures import _figure, esc
from atlas.views.maps import _hover, arc_path, in_frame

CLICK_PREFIX = "org:"
PROFILE_PAGE = "Organization_Profile"  # the page's path as Streamlit derives it from its file name
CLICK_HINT = "click to open the organization's profile"
MARKER_TRACE = "Organization headquarters"
COUNTING_NOTE = (
    "A figure per organization counts an engagement once for each organization it names (an engagement with "
    "the EU and INTERPOL counts for both), so these figures can add up to more than the engagements."
)
SHORT_NAME = 30  # longer names are shown by their code on an axis ("ICAO"), in full in the tooltip
SPREAD_DEGREES = 2.4  # organizations with the same seat (EU and WCO in Brussels) are drawn this far apart
# Smaller than a small state's dot (11 px and up): plotly gives the hover to the marker whose edge is nearest, so
# at its own centre a headquarters wins over the dot of a neighbour (Luxembourg beside Brussels), as sites do.
MARKER_SIZE = 9
NEAR_DEGREES = 2.0  # a seat this close to Washington (the OAS) gets no arc: it would be a dot
COUNTRY_BAR = "#4C6A8A"


def click_value(code: str) -> str:
    return f"{CLICK_PREFIX}{code}"


def code_of(value: object) -> str | None:
    """The organization code in a click's customdata ('org:EU' -> 'EU'); None for anything else."""
    if isinstance(value, str) and value.startswith(CLICK_PREFIX) and len(value) > len(CLICK_PREFIX):
        return value[len(CLICK_PREFIX) :]
    return None


def shares_in_words(active: pd.DataFrame) -> pd.DataFrame:
    """organizations_active rows with the multilateral share as a percentage (`multilateral_pct`), for a table."""
    return active.assign(multilateral_pct=[f"{s:.0%}" if pd.notna(s) else "" for s in active["multilateral_share"]])


def short_name(code: str, name: str) -> str:
    """The name, or the code when the name would crowd an axis."""
    return name if len(name) <= SHORT_NAME else code


def seat_text(city: object, country: object) -> str:
    """'Brussels, Belgium'; 'no permanent seat' for a forum without one."""
    parts = [str(p) for p in (city, country) if isinstance(p, str) and p]
    return ", ".join(parts) if parts else "no permanent seat"


def _axis(title: str, values: list) -> dict:
    """The count axis: whole numbers when the counts are a handful (no 0.5 steps)."""
    return {"title": {"text": title}, **({"dtick": 1} if values and max(values) <= 5 else {})}


def _bars(labels: list[str], values: list, custom: list, colour: str | list[str], hover: str) -> dict:
    return {
        "type": "bar",
        "orientation": "h",
        "y": labels,
        "x": values,
        "customdata": custom,
        "marker": {"color": colour},
        "hovertemplate": hover,
    }


def ranking(active: pd.DataFrame, *, n: int = 10, height: int | None = None) -> go.Figure:
    """Horizontal bars of the `n` organizations with the most engagements (active: organizations_active.sql);
    a click on a bar opens the organization's profile."""
    top = active.head(n).iloc[::-1]
    labels = [esc(short_name(c, m)) for c, m in zip(top["code"], top["name"])]
    trace = _bars(
        labels,
        list(top["engagements"]),
        [click_value(c) for c in top["code"]],
        vocab.ORGANIZATION_COLOUR,
        "%{y}<br>%{x:,} engagements<extra></extra>",
    )
    layout = {"xaxis": _axis("Engagements naming it", trace["x"]), "yaxis": {"automargin": True}}
    return _figure([trace], layout, height=height or 90 + 30 * len(top), legend=False)


def area_totals(monthly: pd.DataFrame) -> pd.DataFrame:
    """Engagements per mission area (vocabulary order) with each one's share, from a monthly frame."""
    order = [m.code for m in vocab.MISSION_AREAS]
    totals = monthly.groupby("mission_area", as_index=False)["engagements"].sum()
    totals = totals[totals["engagements"] > 0]
    totals = totals.assign(order=totals["mission_area"].map(order.index)).sort_values("order").drop(columns="order")
    total = totals["engagements"].sum()
    return totals.assign(share=totals["engagements"] / total if total else 0.0).reset_index(drop=True)


def area_mix(totals: pd.DataFrame, *, height: int | None = None) -> go.Figure:
    """One bar per mission area in its colour, with its share of the organization's engagements."""
    rows = totals.iloc[::-1]
    trace = _bars(
        [esc(vocab.mission_area_label(a)) for a in rows["mission_area"]],
        list(rows["engagements"]),
        [f"{s:.0%}" for s in rows["share"]],
        [vocab.MISSION_AREA_COLOURS[a] for a in rows["mission_area"]],
        "%{y}<br>%{x:,} engagements (%{customdata})<extra></extra>",
    )
    trace |= {"text": [f"{s:.0%}" for s in rows["share"]], "textposition": "auto"}
    layout = {"xaxis": _axis("Engagements", trace["x"]), "yaxis": {"automargin": True}}
    return _figure([trace], layout, height=height or 90 + 34 * len(rows), legend=False)


def partner_countries(countries: pd.DataFrame, *, n: int = 15, height: int | None = None) -> go.Figure:
    """The partner countries that took part most often (organization_countries.sql), a bar each carrying its
    ISO3, so a click opens the country's profile."""
    top = countries.head(n).iloc[::-1]
    trace = _bars(
        [esc(name) for name in top["name"]],
        list(top["engagements"]),
        list(top["iso3"]),
        COUNTRY_BAR,
        "%{y}<br>%{x:,} engagements with this organization<extra></extra>",
    )
    layout = {"xaxis": _axis("Engagements", trace["x"]), "yaxis": {"automargin": True}}
    return _figure([trace], layout, height=height or 90 + 26 * len(top), legend=False)


# --- the Activity map ----------------------------------------------------------------------------------


def hq_rows(active: pd.DataFrame) -> pd.DataFrame:
    """The organizations with a seat, where their marker is drawn (`lon`, `lat`: organizations sharing a seat
    spread along the parallel, so each can be hovered and clicked) and their tooltip (`hover`)."""
    data = active[active["hq_lat"].notna() & active["hq_lon"].notna()].copy()
    if data.empty:
        return data.assign(lat=[], lon=[], hover=[])
    seat = [(round(a * 2) / 2, round(o * 2) / 2) for a, o in zip(data["hq_lat"], data["hq_lon"])]
    data["seat"] = seat
    groups = data.groupby("seat")
    rank, size = groups.cumcount(), groups["code"].transform("count")
    middle = groups["hq_lon"].transform("mean").astype(float)
    data["lat"] = data["hq_lat"].astype(float)
    data["lon"] = [in_frame(c + SPREAD_DEGREES * (k - (m - 1) / 2)) for c, k, m in zip(middle, rank, size)]
    data["hover"] = [
        _hover(
            r.name,
            esc(r.kind),
            f"headquarters: {esc(seat_text(r.hq_city, r.hq_country))}",
            f"{int(r.engagements):,} engagements in the period",
            f"{r.multilateral_share:.0%} with other partners too" if pd.notna(r.multilateral_share) else "",
            CLICK_HINT,
        )
        for r in data.itertuples()
    ]
    return data.drop(columns="seat")


def map_traces(active: pd.DataFrame, *, top: int = 30) -> list[dict]:
    """Arcs from Washington, DC to the seats of the `top` busiest organizations (dashed, in the organizations'
    colour, wider for more engagements; no hover of their own), then a diamond on each seat with its tooltip
    and its click (one size: the arcs carry the counts). Forums without a seat have neither."""
    data = hq_rows(active).head(top)
    if data.empty:
        return []
    origin_lat, origin_lon = vocab.WASHINGTON_DC
    src = [in_frame(origin_lon), origin_lat]
    biggest = float(data["engagements"].max())
    traces: list[dict] = []
    for row in data.itertuples():
        if math.hypot(row.lon - src[0], row.lat - src[1]) < NEAR_DEGREES:
            continue
        lons, lats = arc_path(src, [row.lon, row.lat])
        traces.append(
            {
                "type": "scattergeo",
                "lon": lons,
                "lat": lats,
                "mode": "lines",
                "line": {
                    "color": vocab.ORGANIZATION_COLOUR,
                    "width": 1 + 3 * math.sqrt(row.engagements / biggest),
                    "dash": "dash",
                },
                "opacity": 0.8,
                "hoverinfo": "skip",
                "name": f"arc {click_value(row.code)}",
            }
        )
    traces.append(
        {
            "type": "scattergeo",
            "lat": list(data["lat"]),
            "lon": list(data["lon"]),
            "mode": "markers",
            "marker": {
                "symbol": "diamond",
                "size": MARKER_SIZE,
                "color": vocab.ORGANIZATION_COLOUR,
                "line": {"color": "white", "width": 1.5},
            },
            "hovertext": list(data["hover"]),
            "hoverinfo": "text",
            "customdata": [click_value(c) for c in data["code"]],
            "name": MARKER_TRACE,
        }
    )
    return traces


def map_note(active: pd.DataFrame) -> str:
    """What the map's organizations are, how they count, and which active forums it cannot place."""
    seatless = active[active["hq_lat"].isna()]
    note = (
        "Headquarters of the organizations named in engagements of the period, with the arcs from Washington to "
        f"them. {COUNTING_NOTE}"
    )
    if len(seatless):
        listed = ", ".join(f"{n} ({int(e):,})" for n, e in zip(seatless["name"], seatless["engagements"]))
        note += f" Forums without a permanent seat have no marker: {listed}."
    return note


def legend_marks() -> list[tuple[str, str]]:
    """The map legend's swatches (label, CSS) for the organizations' marks."""
    colour = vocab.ORGANIZATION_COLOUR
    return [
        (
            "international organization's headquarters (click to open its profile)",
            f"background:{colour};border:1.5px solid white;transform:rotate(45deg) scale(0.8)",
        ),
        (
            "arcs from Washington to their headquarters",
            f"background:repeating-linear-gradient(90deg,{colour} 0 5px,transparent 5px 8px);height:0.25em;"
            "border-radius:0",
        ),
    ]
