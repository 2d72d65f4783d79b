"""The country table, its aliases and the offline basemap built by tools/build_geodata.py."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from atlas.data.countries import load_aliases, load_countries, name_of, resolve
from atlas.data.vocab import fold

ROOT = Path(__file__).resolve().parent.parent
GEOJSON = ROOT / "static" / "geo" / "countries.geojson"

EXPECTED_ALIASES = {
    "UK": "GBR",
    "U.K.": "GBR",
    "Great Britain": "GBR",
    "Britain": "GBR",
    "England": "GBR",
    "United Kingdom": "GBR",
    "South Korea": "KOR",
    "Korea, Republic of": "KOR",
    "Republic of Korea": "KOR",
    "Korea, South": "KOR",
    "North Korea": "PRK",
    "Türkiye": "TUR",
    "Turkey": "TUR",
    "Turkiye": "TUR",
    "Côte d'Ivoire": "CIV",
    "Ivory Coast": "CIV",
    "Cote d'Ivoire": "CIV",
    "Czech Republic": "CZE",
    "Czechia": "CZE",
    "Viet Nam": "VNM",
    "Vietnam": "VNM",
    "Burma": "MMR",
    "Myanmar": "MMR",
    "UAE": "ARE",
    "U.A.E.": "ARE",
    "United Arab Emirates": "ARE",
    "Russia": "RUS",
    "Russian Federation": "RUS",
    "Cape Verde": "CPV",
    "Cabo Verde": "CPV",
    "Swaziland": "SWZ",
    "Eswatini": "SWZ",
    "The Bahamas": "BHS",
    "Bahamas": "BHS",
    "Hong Kong": "HKG",
    "Hong Kong SAR": "HKG",
    "Hong Kong SAR, China": "HKG",
    "Macau": "MAC",
    "Macao": "MAC",
    "Taiwan": "TWN",
    "Republic of China": "TWN",
    "USA": "USA",
    "U.S.": "USA",
    "United States of America": "USA",
    "Holland": "NLD",
    "The Netherlands": "NLD",
    "Laos": "LAO",
    "Syria": "SYR",
    "Iran": "IRN",
    "Bolivia": "BOL",
    "Venezuela": "VEN",
    "Tanzania": "TZA",
    "Moldova": "MDA",
    "Vatican": "VAT",
    "Holy See": "VAT",
    "East Timor": "TLS",
    "Timor-Leste": "TLS",
    "DRC": "COD",
    "DR Congo": "COD",
    "Democratic Republic of the Congo": "COD",
    "Congo-Kinshasa": "COD",
    "Republic of the Congo": "COG",
    "Congo-Brazzaville": "COG",
    "Micronesia": "FSM",
    "St. Lucia": "LCA",
    "St Kitts and Nevis": "KNA",
    "St. Vincent and the Grenadines": "VCT",
    "Palestine": "PSE",
    "Kosovo": "XKX",
    "North Macedonia": "MKD",
    "Macedonia": "MKD",
    "Brunei": "BRN",
    "Gambia": "GMB",
    "The Gambia": "GMB",
    "Guinea": "GIN",
}

SMALL = ("SGP", "BHR", "MLT", "MDV", "HKG", "MUS", "CPV", "MCO", "LIE", "AND", "SMR", "VAT", "ABW", "BMU", "LUX")


def reference_countries() -> list[tuple[str, str]]:
    """(country_name, iso3) pairs from every reference CSV that has an iso3 column."""
    pairs = set()
    for path in sorted((ROOT / "data" / "reference").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("iso3"):
                    pairs.add((row["country_name"], row["iso3"]))
    return sorted(pairs)


@pytest.mark.parametrize(("alias", "iso3"), sorted(EXPECTED_ALIASES.items()))
def test_alias_resolves(alias, iso3):
    assert resolve(alias) == iso3


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("CÔTE D'IVOIRE", "CIV"),
        ("cote d\u2019ivoire", "CIV"),
        ("  united   kingdom ", "GBR"),
        ("the United Kingdom", "GBR"),
        ("The Czech Republic", "CZE"),
        ("TÜRKIYE", "TUR"),
        ("gbr", "GBR"),
        ("gb", "GBR"),
        ("Saint Kitts & Nevis", "KNA"),
    ],
)
def test_case_accent_and_spacing_variants(text, iso3):
    assert resolve(text) == iso3


@pytest.mark.parametrize("text", ["Atlantis", "", "   ", None, "Congo", "Korea", "the", "UNK", "Europe"])
def test_unknown_or_ambiguous_text_is_none(text):
    assert resolve(text) is None


@pytest.mark.parametrize(("country_name", "iso3"), reference_countries())
def test_reference_data_resolves(country_name, iso3):
    assert resolve(iso3) == iso3
    assert resolve(country_name) == iso3


def test_reference_data_was_found():
    assert len(reference_countries()) > 50


def test_reference_countries_are_rows_of_the_country_table():
    """77 places, one spelling each; Cyprus (a PCSC row) is the one country the second sourcing pass added."""
    pairs = reference_countries()
    codes = {iso3 for _, iso3 in pairs}
    assert len(pairs) == len(codes) == 77
    assert codes <= {row["iso3"] for row in load_countries()}
    assert "CYP" in codes


def test_countries_table_shape():
    rows = load_countries()
    assert len(rows) == 250
    assert len({r["iso3"] for r in rows}) == 250
    assert len({r["iso2"] for r in rows}) == 250
    assert [r["iso3"] for r in rows] == sorted(r["iso3"] for r in rows)
    assert all(-90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180 for r in rows)


def test_kosovo_is_the_only_unofficial_code():
    assert [r["iso3"] for r in load_countries() if not r["iso_official"]] == ["XKX"]


@pytest.mark.parametrize("iso3", SMALL)
def test_microstates_are_small(iso3):
    assert next(r for r in load_countries() if r["iso3"] == iso3)["small"]


@pytest.mark.parametrize("iso3", ["USA", "CAN", "RUS", "BRA", "DEU", "GBR"])
def test_large_countries_are_not_small(iso3):
    row = next(r for r in load_countries() if r["iso3"] == iso3)
    assert not row["small"] and row["in_boundaries"]


def test_every_country_resolves_by_its_own_keys():
    unresolved = []
    for row in load_countries():
        for own in (row["iso3"], row["iso2"], row["name"]):
            assert resolve(own) == row["iso3"], own
        assert resolve(row["official_name"]) in (row["iso3"], None)
        if resolve(row["official_name"]) is None:
            unresolved.append(row["official_name"])
    # The British Virgin Islands' official name is also what people call the US Virgin Islands.
    assert unresolved == ["Virgin Islands"]


def test_alias_file_has_unique_fold_keys():
    with (ROOT / "data" / "country_aliases.csv").open(encoding="utf-8", newline="") as handle:
        keys = [fold(row["alias"]) for row in csv.DictReader(handle)]
    assert len(keys) == len(set(keys))
    assert len(load_aliases()) == len(keys)


def test_display_names():
    assert name_of("GBR") == "United Kingdom"
    assert name_of("CIV") == "Côte d'Ivoire"
    assert name_of("TUR") == "Türkiye"
    assert name_of("CPV") == "Cabo Verde"
    assert name_of("ZZZ") == "ZZZ"


def test_geojson_features_point_at_their_rows():
    collection = json.loads(GEOJSON.read_text(encoding="utf-8"))
    rows = load_countries()
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) > 200
    for feature in collection["features"]:
        props = feature["properties"]
        assert rows[props["i"]]["iso3"] == props["iso3"]
        assert rows[props["i"]]["name"] == props["name"]
        assert rows[props["i"]]["in_boundaries"]
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_geojson_size():
    assert GEOJSON.stat().st_size < 1.5 * 1024 * 1024


def test_topojson_files_for_plotly_exist():
    for name in ("world_50m.json", "world_110m.json"):
        topo = json.loads((ROOT / "static" / "topojson" / name).read_text(encoding="utf-8"))
        assert topo["type"] == "Topology" and "countries" in topo["objects"]


def test_every_country_missing_from_the_map_boundaries_is_drawn_as_a_dot():
    from atlas.views.worldmap import base_geo

    resolution = base_geo()["resolution"]
    topo = json.loads((ROOT / "static" / "topojson" / f"world_{resolution}m.json").read_text(encoding="utf-8"))
    drawn = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    rows = load_countries()
    missing = [r for r in rows if r["in_boundaries"] and r["iso3"] not in drawn]
    assert len(missing) > 50, "the 1:110m boundaries lack the small states; this test checks they are dots"
    assert [r["iso3"] for r in missing if not r["small"]] == []
