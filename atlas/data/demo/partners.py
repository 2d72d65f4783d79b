"""The demo's partners: which countries, how active, their cities, the names they go by and their programmes."""

from __future__ import annotations

import csv
from functools import lru_cache
from typing import NamedTuple

from atlas.config import DATA_DIR, REFERENCE_DIR
from atlas.data import countries

CITIES_CSV = DATA_DIR / "demo_cities.csv"

# --------------------------------------------------------------------------------------------------
# Partners: iso3 and relative activity weight. Names and regions come from data/countries.csv (partners()).
# Canada, Mexico and the United Kingdom together take about a third of all engagements.
# The order is part of the output's definition (it numbers the countries): append, do not reorder. The
# comments group the list as it was first written; Türkiye, Georgia and Bermuda sit in other regions.
# --------------------------------------------------------------------------------------------------
PARTNER_WEIGHTS: dict[str, float] = {
    "CAN": 131,
    "MEX": 125,
    "GBR": 88,
    # Europe
    "DEU": 22,
    "FRA": 18,
    "NLD": 16,
    "ITA": 14,
    "ESP": 14,
    "BEL": 12,
    "IRL": 12,
    "POL": 10,
    "CHE": 8,
    "SWE": 7,
    "NOR": 7,
    "DNK": 7,
    "GRC": 7,
    "FIN": 6,
    "AUT": 6,
    "PRT": 6,
    "ROU": 6,
    "UKR": 6,
    "TUR": 7,
    "CZE": 5,
    "HUN": 4,
    "HRV": 4,
    "EST": 4,
    "LTU": 4,
    "BGR": 4,
    "SVK": 3,
    "SVN": 3,
    "LVA": 3,
    "LUX": 3,
    "MLT": 3,
    "CYP": 3,
    "GEO": 3,
    "ISL": 2,
    "SRB": 2,
    "ALB": 2,
    "MDA": 2,
    "MCO": 1.5,
    "LIE": 1,
    "AND": 1,
    "SMR": 1,
    # Oceania
    "AUS": 22,
    "NZL": 9,
    "FJI": 2,
    "PNG": 1.5,
    # Central America
    "GTM": 16,
    "HND": 14,
    "SLV": 14,
    "PAN": 12,
    "CRI": 8,
    "BLZ": 4,
    "NIC": 2,
    # Caribbean
    "DOM": 12,
    "BHS": 10,
    "JAM": 9,
    "HTI": 6,
    "TTO": 5,
    "BRB": 4,
    "ABW": 4,
    "BMU": 4,
    # South America
    "COL": 14,
    "BRA": 10,
    "ECU": 7,
    "ARG": 7,
    "CHL": 7,
    "PER": 6,
    "URY": 4,
    "PRY": 3,
    "VEN": 2,
    "GUY": 2,
    "BOL": 1.5,
    # Middle East and North Africa
    "ARE": 13,
    "ISR": 12,
    "JOR": 9,
    "SAU": 9,
    "QAT": 9,
    "BHR": 6,
    "EGY": 6,
    "MAR": 6,
    "KWT": 5,
    "OMN": 5,
    "IRQ": 4,
    "LBN": 3,
    "TUN": 3,
    # Sub-Saharan Africa
    "KEN": 6,
    "ZAF": 6,
    "NGA": 5,
    "GHA": 4,
    "ETH": 3,
    "SEN": 3,
    "TZA": 2,
    "UGA": 2,
    "CIV": 2,
    "DJI": 2,
    "RWA": 1.5,
    # Asia
    "JPN": 18,
    "KOR": 14,
    "SGP": 12,
    "IND": 12,
    "PHL": 9,
    "THA": 8,
    "TWN": 7,
    "IDN": 7,
    "HKG": 6,
    "VNM": 6,
    "MYS": 6,
    "CHN": 5,
    "PAK": 5,
    "LKA": 4,
    "BGD": 3,
    "KHM": 3,
    "MDV": 2,
    "BRN": 2,
    "KAZ": 2,
    "UZB": 2,
    "MNG": 1.5,
}

MIDDLE_EAST = "Middle East and North Africa"


class Partner(NamedTuple):
    """A partner country as the demo uses it."""

    iso3: str
    name: str  # display name, from data/countries.csv
    region: str  # the neighbourhood its activity follows (region_of), from data/countries.csv
    weight: float  # relative activity


def region_of(country: dict) -> str:
    """The neighbourhood of a data/countries.csv row: the Americas by subregion, Western Asia with Northern
    Africa (MIDDLE_EAST), every other region whole."""
    if country["region"] == "Americas":
        return country["subregion"]
    if country["subregion"] in ("Western Asia", "Northern Africa"):
        return MIDDLE_EAST
    return country["region"]


@lru_cache(maxsize=1)
def partners() -> tuple[Partner, ...]:
    """Every partner in PARTNER_WEIGHTS order, with its name and region from data/countries.csv."""
    by_iso3 = {row["iso3"]: row for row in countries.load_countries()}
    unknown = sorted(set(PARTNER_WEIGHTS) - set(by_iso3))
    if unknown:
        raise ValueError(f"partners missing from data/countries.csv: {unknown}")
    return tuple(
        Partner(iso3, by_iso3[iso3]["name"], region_of(by_iso3[iso3]), float(weight))
        for iso3, weight in PARTNER_WEIGHTS.items()
    )


# Names that read with "the" in a sentence ("with the United Kingdom").
WITH_ARTICLE = ("GBR", "NLD", "BHS", "PHL", "ARE", "DOM", "MDV")

# Standard alternative names used for ALIAS_SHARE of the rows. Each country's display name is always one;
# these are the extras. All of them resolve with atlas.countries.resolve.
EXTRA_ALIASES: tuple[tuple[str, str], ...] = (
    ("KOR", "Korea, Republic of"),
    ("KOR", "Republic of Korea"),
    ("TUR", "Turkey"),
    ("VNM", "Viet Nam"),
    ("CZE", "Czech Republic"),
    ("NLD", "The Netherlands"),
    ("BHS", "The Bahamas"),
    ("HKG", "Hong Kong SAR, China"),
)

# Groups that sign multilateral agreements together (three or more partners besides the United States).
MULTILATERAL_GROUPS: tuple[tuple[str, ...], ...] = (
    ("AUS", "CAN", "GBR", "NZL"),  # Five Country Ministerial
    ("GTM", "HND", "SLV"),  # northern Central America
    ("BLZ", "CRI", "GTM", "HND", "PAN", "SLV"),
    ("BHS", "BRB", "DOM", "JAM", "TTO"),
    ("ARE", "BHR", "KWT", "OMN", "QAT", "SAU"),
    ("EST", "LTU", "LVA"),
    ("BEL", "LUX", "NLD"),
    ("DNK", "FIN", "ISL", "NOR", "SWE"),
    ("COL", "ECU", "PER"),
    ("CAN", "GTM", "MEX"),
)

VWP_CANDIDATES_EXTRA = ("BGR", "CYP", "BRA")  # besides the former and rescinded members in the reference file


def _reference_iso3(name: str, keep=lambda row: True) -> frozenset:
    path = REFERENCE_DIR / name
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["iso3"] for row in csv.DictReader(handle) if row.get("iso3") and keep(row))


def _operational(row: dict) -> bool:
    return not row["status"].strip().upper().startswith("ANNOUNCED")


def programme_sets() -> dict[str, frozenset]:
    """Which partners are in which programme, from the sourced reference files."""
    vwp_rows = REFERENCE_DIR / "vwp_countries.csv"
    with vwp_rows.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    vwp = frozenset(r["iso3"] for r in rows if r["status"].startswith("designated (participating)"))
    former = frozenset(r["iso3"] for r in rows if r["iso3"] not in vwp)
    posts = REFERENCE_DIR / "dhs_overseas_posts_partial.csv"
    with posts.open(encoding="utf-8", newline="") as handle:
        post_rows = list(csv.DictReader(handle))
    return {
        "csi": _reference_iso3("csi_ports.csv"),
        # Operational sites only: an announced site is not yet work on the ground.
        "preclearance": _reference_iso3("cbp_preclearance_locations.csv", _operational),
        "aviation_posts": frozenset(
            r["iso3"] for r in post_rows if r["program"].startswith(("TSA", "CBP Immigration Advisory"))
        ),
        "vwp": vwp,
        "vwp_candidates": former | frozenset(VWP_CANDIDATES_EXTRA),
    }


def load_cities() -> list[dict]:
    """Rows of data/demo_cities.csv, in file order."""
    with CITIES_CSV.open(encoding="utf-8", newline="") as handle:
        return [
            {
                "iso3": r["iso3"],
                "city": r["city"],
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
                "weight": float(r["weight"]),
            }
            for r in csv.DictReader(handle)
        ]


def country_aliases() -> tuple[tuple[str, str], ...]:
    """(name, iso3) pairs the demo writes in place of an iso3 code: display names plus EXTRA_ALIASES."""
    known = set(PARTNER_WEIGHTS)
    pairs = [(p.name, p.iso3) for p in partners()]
    pairs += [(alias, iso3) for iso3, alias in EXTRA_ALIASES if iso3 in known]
    return tuple(pairs)
