"""The demo's partners: which countries, how active, their cities, the names they go by and their programmes."""
from __future__ import annotations

import csv

from atlas.config import DATA_DIR, REFERENCE_DIR

CITIES_CSV = DATA_DIR / "demo_cities.csv"

# --------------------------------------------------------------------------------------------------
# Partners: iso3, display name (as atlas.countries shows it), region, relative activity weight.
# Canada, Mexico and the United Kingdom together take about a third of all engagements.
# --------------------------------------------------------------------------------------------------
COUNTRIES: tuple[tuple[str, str, str, float], ...] = (
    ("CAN", "Canada", "north_america", 131), ("MEX", "Mexico", "north_america", 125),
    ("GBR", "United Kingdom", "europe", 88),
    # Europe
    ("DEU", "Germany", "europe", 22), ("FRA", "France", "europe", 18), ("NLD", "Netherlands", "europe", 16),
    ("ITA", "Italy", "europe", 14), ("ESP", "Spain", "europe", 14), ("BEL", "Belgium", "europe", 12),
    ("IRL", "Ireland", "europe", 12), ("POL", "Poland", "europe", 10), ("CHE", "Switzerland", "europe", 8),
    ("SWE", "Sweden", "europe", 7), ("NOR", "Norway", "europe", 7), ("DNK", "Denmark", "europe", 7),
    ("GRC", "Greece", "europe", 7), ("FIN", "Finland", "europe", 6), ("AUT", "Austria", "europe", 6),
    ("PRT", "Portugal", "europe", 6), ("ROU", "Romania", "europe", 6), ("UKR", "Ukraine", "europe", 6),
    ("TUR", "Türkiye", "europe", 7), ("CZE", "Czechia", "europe", 5), ("HUN", "Hungary", "europe", 4),
    ("HRV", "Croatia", "europe", 4), ("EST", "Estonia", "europe", 4), ("LTU", "Lithuania", "europe", 4),
    ("BGR", "Bulgaria", "europe", 4), ("SVK", "Slovakia", "europe", 3), ("SVN", "Slovenia", "europe", 3),
    ("LVA", "Latvia", "europe", 3), ("LUX", "Luxembourg", "europe", 3), ("MLT", "Malta", "europe", 3),
    ("CYP", "Cyprus", "europe", 3), ("GEO", "Georgia", "europe", 3), ("ISL", "Iceland", "europe", 2),
    ("SRB", "Serbia", "europe", 2), ("ALB", "Albania", "europe", 2), ("MDA", "Moldova", "europe", 2),
    ("MCO", "Monaco", "europe", 1.5), ("LIE", "Liechtenstein", "europe", 1), ("AND", "Andorra", "europe", 1),
    ("SMR", "San Marino", "europe", 1),
    # Oceania
    ("AUS", "Australia", "oceania", 22), ("NZL", "New Zealand", "oceania", 9), ("FJI", "Fiji", "oceania", 2),
    ("PNG", "Papua New Guinea", "oceania", 1.5),
    # Central America
    ("GTM", "Guatemala", "central_america", 16), ("HND", "Honduras", "central_america", 14),
    ("SLV", "El Salvador", "central_america", 14), ("PAN", "Panama", "central_america", 12),
    ("CRI", "Costa Rica", "central_america", 8), ("BLZ", "Belize", "central_america", 4),
    ("NIC", "Nicaragua", "central_america", 2),
    # Caribbean
    ("DOM", "Dominican Republic", "caribbean", 12), ("BHS", "Bahamas", "caribbean", 10),
    ("JAM", "Jamaica", "caribbean", 9), ("HTI", "Haiti", "caribbean", 6), ("TTO", "Trinidad and Tobago", "caribbean", 5),
    ("BRB", "Barbados", "caribbean", 4), ("ABW", "Aruba", "caribbean", 4), ("BMU", "Bermuda", "caribbean", 4),
    # South America
    ("COL", "Colombia", "south_america", 14), ("BRA", "Brazil", "south_america", 10),
    ("ECU", "Ecuador", "south_america", 7), ("ARG", "Argentina", "south_america", 7),
    ("CHL", "Chile", "south_america", 7), ("PER", "Peru", "south_america", 6), ("URY", "Uruguay", "south_america", 4),
    ("PRY", "Paraguay", "south_america", 3), ("VEN", "Venezuela", "south_america", 2),
    ("GUY", "Guyana", "south_america", 2), ("BOL", "Bolivia", "south_america", 1.5),
    # Middle East and North Africa
    ("ARE", "United Arab Emirates", "middle_east", 13), ("ISR", "Israel", "middle_east", 12),
    ("JOR", "Jordan", "middle_east", 9), ("SAU", "Saudi Arabia", "middle_east", 9), ("QAT", "Qatar", "middle_east", 9),
    ("BHR", "Bahrain", "middle_east", 6), ("EGY", "Egypt", "middle_east", 6), ("MAR", "Morocco", "middle_east", 6),
    ("KWT", "Kuwait", "middle_east", 5), ("OMN", "Oman", "middle_east", 5), ("IRQ", "Iraq", "middle_east", 4),
    ("LBN", "Lebanon", "middle_east", 3), ("TUN", "Tunisia", "middle_east", 3),
    # Sub-Saharan Africa
    ("KEN", "Kenya", "africa", 6), ("ZAF", "South Africa", "africa", 6), ("NGA", "Nigeria", "africa", 5),
    ("GHA", "Ghana", "africa", 4), ("ETH", "Ethiopia", "africa", 3), ("SEN", "Senegal", "africa", 3),
    ("TZA", "Tanzania", "africa", 2), ("UGA", "Uganda", "africa", 2), ("CIV", "Côte d'Ivoire", "africa", 2),
    ("DJI", "Djibouti", "africa", 2), ("RWA", "Rwanda", "africa", 1.5),
    # Asia
    ("JPN", "Japan", "asia", 18), ("KOR", "South Korea", "asia", 14), ("SGP", "Singapore", "asia", 12),
    ("IND", "India", "asia", 12), ("PHL", "Philippines", "asia", 9), ("THA", "Thailand", "asia", 8),
    ("TWN", "Taiwan", "asia", 7), ("IDN", "Indonesia", "asia", 7), ("HKG", "Hong Kong", "asia", 6),
    ("VNM", "Vietnam", "asia", 6), ("MYS", "Malaysia", "asia", 6), ("CHN", "China", "asia", 5),
    ("PAK", "Pakistan", "asia", 5), ("LKA", "Sri Lanka", "asia", 4), ("BGD", "Bangladesh", "asia", 3),
    ("KHM", "Cambodia", "asia", 3), ("MDV", "Maldives", "asia", 2), ("BRN", "Brunei", "asia", 2),
    ("KAZ", "Kazakhstan", "asia", 2), ("UZB", "Uzbekistan", "asia", 2), ("MNG", "Mongolia", "asia", 1.5),
)

# Names that read with "the" in a sentence ("with the United Kingdom").
WITH_ARTICLE = ("GBR", "NLD", "BHS", "PHL", "ARE", "DOM", "MDV")

# Standard alternative names used for ALIAS_SHARE of the rows. Each country's display name is always one;
# these are the extras. All of them resolve with atlas.countries.resolve.
EXTRA_ALIASES: tuple[tuple[str, str], ...] = (
    ("KOR", "Korea, Republic of"), ("KOR", "Republic of Korea"),
    ("TUR", "Turkey"),
    ("VNM", "Viet Nam"),
    ("CZE", "Czech Republic"),
    ("NLD", "The Netherlands"),
    ("BHS", "The Bahamas"),
    ("HKG", "Hong Kong SAR, China"),
)

# Groups that sign multilateral agreements together (three or more partners besides the United States).
MULTILATERAL_GROUPS: tuple[tuple[str, ...], ...] = (
    ("AUS", "CAN", "GBR", "NZL"),              # Five Country Ministerial
    ("GTM", "HND", "SLV"),                     # northern Central America
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
        "preclearance": _reference_iso3("cbp_preclearance_locations.csv"),
        "aviation_posts": frozenset(r["iso3"] for r in post_rows
                                    if r["program"].startswith(("TSA", "CBP Immigration Advisory"))),
        "vwp": vwp,
        "vwp_candidates": former | frozenset(VWP_CANDIDATES_EXTRA),
    }



def load_cities() -> list[dict]:
    """Rows of data/demo_cities.csv, in file order."""
    with CITIES_CSV.open(encoding="utf-8", newline="") as handle:
        return [{"iso3": r["iso3"], "city": r["city"], "lat": float(r["lat"]), "lon": float(r["lon"]),
                 "weight": float(r["weight"])} for r in csv.DictReader(handle)]


def country_aliases() -> tuple[tuple[str, str], ...]:
    """(name, iso3) pairs the demo writes in place of an iso3 code: display names plus EXTRA_ALIASES."""
    known = {iso3 for iso3, *_ in COUNTRIES}
    pairs = [(name, iso3) for iso3, name, _, _ in COUNTRIES]
    pairs += [(alias, iso3) for iso3, alias in EXTRA_ALIASES if iso3 in known]
    return tuple(pairs)

