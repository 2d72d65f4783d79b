"""Synthetic demo data: engagements and agreements that look like a real international-affairs office's.

Everything is made up and every record says so (demo = "true"). The shape is realistic: Canada, Mexico
and the United Kingdom dominate, activity grows over time with a 2020 dip, mission areas follow the
partner's programmes (cargo where the Container Security Initiative ports are, aviation where the
Preclearance airports and TSA posts are, visa work with Visa Waiver Program members and candidates, ...),
and agreement statuses agree with their dates. The programme memberships come from data/reference/.

Deterministic: the same (sizes, seed, today) give the same rows and the same CSV bytes on every run.
Engagements are made in fixed blocks of ENGAGEMENT_BLOCK rows, each from its own PCG64 stream, so
generate() and write() agree while write() streams ten million rows without holding them all.
Vectorised numpy plus pyarrow string kernels; no Streamlit here.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from atlas.config import DATA_DIR, REFERENCE_DIR
from atlas.data import formats, vocab

CITIES_CSV = DATA_DIR / "demo_cities.csv"

DEFAULT_TODAY = date(2026, 11, 30)
FIRST_DAY = date(2019, 1, 1)
HORIZON_DAYS = 121          # planned engagements reach this far past today (~4 months)
ENGAGEMENT_BLOCK = 500_000  # rows per generation block; part of the output's definition: do not change lightly
ALIAS_SHARE = 0.03          # rows whose country is a name instead of an iso3 code
NO_COORDS_SHARE = 0.05      # rows with empty latitude/longitude (half of them also without a city)
NO_PARTICIPANTS_SHARE = 0.02
JITTER_DEG = 0.03           # city coordinates are moved by at most this much

MISSION_CODES = tuple(m.code for m in vocab.MISSION_AREAS)
MISSION_LABELS = tuple(m.label for m in vocab.MISSION_AREAS)
COMPONENT_CODES = tuple(code for code, _ in vocab.COMPONENTS)
COMPONENT_NAMES = dict(vocab.COMPONENTS)
TYPE_CODES = tuple(code for code, _ in vocab.ENGAGEMENT_TYPES)
SENSITIVITY_CODES = tuple(code for code, _ in vocab.SENSITIVITIES)
AGREEMENT_TYPE_CODES = tuple(code for code, _ in vocab.AGREEMENT_TYPES)
AGREEMENT_STATUS_CODES = tuple(code for code, _ in vocab.AGREEMENT_STATUSES)

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

# --------------------------------------------------------------------------------------------------
# Mission-area, component, type and wording tables.
# --------------------------------------------------------------------------------------------------
BASE_MISSION_WEIGHT = {"visa": 1.0, "aviation": 0.9, "cargo": 0.7, "border": 1.0, "immigration": 0.5,
                       "law_enforcement": 1.7, "counterterrorism": 0.7}

COMPONENT_BY_MISSION: dict[str, tuple[tuple[str, float], ...]] = {
    "visa": (("ICE", 35), ("CBP", 30), ("PLCY", 23), ("OIA", 10), ("USCIS", 2)),
    "aviation": (("TSA", 55), ("CBP", 30), ("S&T", 5), ("OIA", 5), ("I&A", 3), ("CISA", 2)),
    "cargo": (("CBP", 72), ("USCG", 8), ("ICE", 8), ("TSA", 5), ("S&T", 3), ("OIA", 4)),
    "border": (("CBP", 50), ("FLETC", 20), ("USCG", 15), ("ICE", 5), ("OIA", 5), ("S&T", 3), ("FEMA", 2)),
    "immigration": (("USCIS", 40), ("PLCY", 30), ("ICE", 20), ("CBP", 5), ("OIA", 5)),
    "law_enforcement": (("ICE", 45), ("USSS", 20), ("FLETC", 20), ("CBP", 5), ("USCG", 5), ("OIA", 5)),
    "counterterrorism": (("I&A", 35), ("OIA", 25), ("PLCY", 25), ("CBP", 5), ("ICE", 4), ("TSA", 3), ("CISA", 3)),
}

BASE_TYPE_WEIGHT = {"meeting": 32, "delegation": 12, "training": 16, "technical_assistance": 12,
                    "information_exchange": 16, "conference": 12}
TYPE_BOOST_BY_MISSION = {
    "border": {"training": 2.5, "technical_assistance": 1.8},
    "law_enforcement": {"training": 1.5, "information_exchange": 1.3},
    "counterterrorism": {"information_exchange": 1.8},
    "visa": {"information_exchange": 1.5},
    "cargo": {"technical_assistance": 1.5},
    "aviation": {"technical_assistance": 1.3},
    "immigration": {"meeting": 1.3},
}
TRAINING_REGIONS = ("central_america", "caribbean")  # plus Mexico: training-heavy capacity building

# Days from start to end, by type (index = days).
DURATION_WEIGHTS = {
    "meeting": (80, 15, 5),
    "delegation": (10, 25, 25, 20, 12, 8),
    "training": (0, 0, 5, 10, 20, 30, 10, 5, 5, 5, 10),
    "technical_assistance": (5, 15, 15, 15, 15, 15, 5, 5, 3, 3, 4),
    "information_exchange": (70, 25, 5),
    "conference": (10, 35, 35, 20),
}
ONE_DAY_NO_END_SHARE = 0.6  # of one-day meetings and information exchanges, these leave end_date empty

# Participants: lognormal median and spread by type, clipped to 2..400.
PARTICIPANTS = {"meeting": (8, 0.5), "delegation": (6, 0.4), "training": (25, 0.6),
                "technical_assistance": (10, 0.5), "information_exchange": (8, 0.5), "conference": (80, 0.7)}

# public / internal / restricted by mission area: about 25 / 65 / 10 overall.
SENSITIVITY_BY_MISSION = {"counterterrorism": (10, 60, 30), "law_enforcement": (18, 67, 15)}
SENSITIVITY_DEFAULT = (29, 65, 6)

TITLE_PHRASES = {
    "meeting": ("bilateral meeting", "senior officials meeting", "working-level meeting"),
    "delegation": ("delegation visit", "senior leader visit", "site visit"),
    "training": ("training course", "train-the-trainer course", "instructor-led training"),
    "technical_assistance": ("technical assistance", "capacity-building mission", "assessment visit"),
    "information_exchange": ("technical exchange", "information-sharing session", "expert exchange"),
    "conference": ("regional conference", "working group conference", "annual dialogue"),
}

# Summary: subject, verb in (past, future, cancelled) form, object with {country} and {topic}.
SUMMARY_PARTS = {
    "meeting": ("{comp} officials", ("met", "will meet", "were scheduled to meet"),
                "counterparts from {country} to discuss {topic}."),
    "delegation": ("{a} {comp} delegation", ("visited", "will visit", "was scheduled to visit"),
                   "{country} to review {topic}."),
    "training": ("{comp} instructors", ("trained", "will train", "were scheduled to train"),
                 "officials from {country} in {topic}."),
    "technical_assistance": ("{comp} experts", ("advised", "will advise", "were scheduled to advise"),
                             "authorities in {country} on {topic}."),
    "information_exchange": ("{comp} analysts", ("exchanged information with", "will exchange information with",
                                                 "were scheduled to exchange information with"),
                             "counterparts from {country} on {topic}."),
    "conference": ("{comp} representatives", ("joined", "will join", "were scheduled to join"),
                   "partners from {country} at a conference on {topic}."),
}
CANCELLED_NOTE = " The engagement was cancelled."

# Topics are generic on purpose: any of them fits any partner (no "Preclearance" talk where there is none).
TOPICS = {
    "visa": ("traveler screening standards", "visa security vetting", "passenger data and identity verification"),
    "aviation": ("last-point-of-departure airport security", "passenger and baggage screening",
                 "air cargo screening standards"),
    "cargo": ("container targeting and port security", "supply-chain security",
              "customs risk management and trade facilitation"),
    "border": ("border management and officer training", "land and maritime border interdiction",
               "detecting fraudulent travel documents"),
    "immigration": ("migration management and lawful pathways", "asylum and refugee processing",
                    "returns and readmission"),
    "law_enforcement": ("transnational organized crime investigations", "human smuggling and trafficking cases",
                        "financial crime and cyber-enabled fraud"),
    "counterterrorism": ("terrorist travel and watchlisting", "threat information sharing",
                         "soft-target protection"),
}

AGREEMENT_TYPE_WEIGHT = {"mou": 40, "arrangement": 20, "agreement": 25, "treaty": 4, "joint_statement": 11}
AGREEMENT_TYPE_TITLE = {"mou": "Memorandum of Understanding", "arrangement": "Arrangement",
                        "agreement": "Agreement", "treaty": "Treaty", "joint_statement": "Joint Statement"}
AGREEMENT_STATUS_WEIGHT = {"negotiation": 12, "signed": 7, "in_force": 63, "expired": 12, "terminated": 6}
AGREEMENT_SUBJECTS = {
    "visa": ("Visa Security Cooperation", "Sharing of Traveler Screening Information"),
    "aviation": ("Aviation Security Cooperation", "Civil Aviation Security Screening"),
    "cargo": ("Cargo Security Cooperation", "Container Security and Supply Chain Cooperation",
              "Mutual Assistance in Customs Matters"),
    "border": ("Border Security Cooperation", "Border Management and Training"),
    "immigration": ("Migration Cooperation", "Returns and Readmission", "Asylum Cooperation"),
    "law_enforcement": ("Enhancing Cooperation in Preventing and Combating Serious Crime",
                        "Law Enforcement Cooperation", "Combating Transnational Organized Crime"),
    "counterterrorism": ("Counter-Terrorism Cooperation", "Sharing Screening Information to Counter Terrorist Travel"),
}
EARLIEST_AGREEMENT = date(2003, 3, 1)  # the Department's first day


# --------------------------------------------------------------------------------------------------
# The model: every table the generator samples from, built once from the constants and data files.
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Model:
    iso3: tuple[str, ...]
    texts: tuple[str, ...]          # names as used in a sentence ("the United Kingdom")
    country_cdf: np.ndarray
    mission_cum: np.ndarray         # (countries, missions)
    type_cum: np.ndarray            # (countries * missions, types)
    component_cum: np.ndarray       # (missions, components)
    duration_cum: np.ndarray        # (types, 11)
    sensitivity_cum: np.ndarray     # (missions, 3)
    city_names: tuple[str, ...]
    city_country: np.ndarray
    city_lat: np.ndarray
    city_lon: np.ndarray
    city_flat: np.ndarray           # country index + cumulative weight within the country
    alias_names: tuple[str, ...]
    alias_flat: np.ndarray          # country index + cumulative weight within the country


def _cum(rows: np.ndarray) -> np.ndarray:
    """Row-wise cumulative probabilities, the last column exactly 1."""
    rows = np.asarray(rows, dtype=np.float64)
    out = np.cumsum(rows / rows.sum(axis=1, keepdims=True), axis=1)
    out[:, -1] = 1.0
    return out


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


def _mission_weights(iso3: str, region: str, sets: dict[str, frozenset]) -> list[float]:
    w = dict(BASE_MISSION_WEIGHT)
    if iso3 in sets["csi"]:
        w["cargo"] *= 3.5
    if iso3 in sets["preclearance"]:
        w["aviation"] *= 3.0
    elif iso3 in sets["aviation_posts"]:
        w["aviation"] *= 2.0
    if iso3 in sets["vwp"]:
        w["visa"] *= 2.5
    elif iso3 in sets["vwp_candidates"]:
        w["visa"] *= 2.0
    if iso3 == "MEX" or region == "central_america":
        w["border"] *= 3.0
        w["immigration"] *= 4.0
    elif region == "caribbean":
        w["border"] *= 2.5
        w["immigration"] *= 1.8
    elif region == "south_america":
        w["border"] *= 1.5
        w["immigration"] *= 2.5 if iso3 in ("COL", "ECU", "PER", "VEN") else 1.2
    elif region == "africa":
        w["border"] *= 1.4
    if iso3 == "CAN":
        w["border"] *= 2.0
        w["immigration"] *= 1.5
    if region in ("middle_east", "europe"):
        w["counterterrorism"] *= 2.2
    return [w[code] for code in MISSION_CODES]


def _type_weights(iso3: str, region: str, mission: str) -> list[float]:
    w = dict(BASE_TYPE_WEIGHT)
    for code, factor in TYPE_BOOST_BY_MISSION.get(mission, {}).items():
        w[code] *= factor
    if iso3 == "MEX" or region in TRAINING_REGIONS:
        w["training"] *= 1.6
        w["technical_assistance"] *= 1.3
    return [w[code] for code in TYPE_CODES]


def _flat_groups(group: np.ndarray, weights: np.ndarray, groups: int) -> np.ndarray:
    """For items sorted by group: group index + cumulative weight within the group (last item = group + 1)."""
    flat = np.empty(len(group), dtype=np.float64)
    for g in range(groups):
        idx = np.flatnonzero(group == g)
        if len(idx) == 0:
            raise ValueError(f"group {g} has no items")
        cum = np.cumsum(weights[idx]) / weights[idx].sum()
        cum[-1] = 1.0
        flat[idx] = g + cum
    return flat


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


@lru_cache(maxsize=1)
def _model() -> _Model:
    sets = programme_sets()
    iso3 = tuple(c[0] for c in COUNTRIES)
    position = {code: i for i, code in enumerate(iso3)}
    if len(position) != len(iso3):
        raise ValueError("duplicate country in COUNTRIES")
    weights = np.array([c[3] for c in COUNTRIES], dtype=np.float64)
    country_cdf = np.cumsum(weights / weights.sum())
    country_cdf[-1] = 1.0

    mission_cum = _cum([_mission_weights(c[0], c[2], sets) for c in COUNTRIES])
    type_cum = _cum([_type_weights(c[0], c[2], m) for c in COUNTRIES for m in MISSION_CODES])
    component_cum = _cum([[dict(COMPONENT_BY_MISSION[m]).get(code, 0.0) for code in COMPONENT_CODES]
                          for m in MISSION_CODES])
    duration_cum = _cum([list(DURATION_WEIGHTS[t]) + [0] * (11 - len(DURATION_WEIGHTS[t])) for t in TYPE_CODES])
    sensitivity_cum = _cum([SENSITIVITY_BY_MISSION.get(m, SENSITIVITY_DEFAULT) for m in MISSION_CODES])

    cities = load_cities()
    unknown = sorted({c["iso3"] for c in cities} - set(position))
    if unknown:
        raise ValueError(f"demo_cities.csv has countries the demo does not use: {unknown}")
    order = sorted(range(len(cities)), key=lambda i: (position[cities[i]["iso3"]], i))
    cities = [cities[i] for i in order]
    city_country = np.array([position[c["iso3"]] for c in cities], dtype=np.int64)
    city_flat = _flat_groups(city_country, np.array([c["weight"] for c in cities]), len(iso3))

    aliases = sorted(country_aliases(), key=lambda pair: position[pair[1]])  # stable: keeps listed order
    alias_country = np.array([position[code] for _, code in aliases], dtype=np.int64)
    alias_flat = _flat_groups(alias_country, np.ones(len(aliases)), len(iso3))

    return _Model(
        iso3=iso3,
        texts=tuple(("the " + c[1]) if c[0] in WITH_ARTICLE else c[1] for c in COUNTRIES),
        country_cdf=country_cdf, mission_cum=mission_cum, type_cum=type_cum, component_cum=component_cum,
        duration_cum=duration_cum, sensitivity_cum=sensitivity_cum,
        city_names=tuple(c["city"] for c in cities), city_country=city_country,
        city_lat=np.array([c["lat"] for c in cities]), city_lon=np.array([c["lon"] for c in cities]),
        city_flat=city_flat, alias_names=tuple(a for a, _ in aliases), alias_flat=alias_flat,
    )


# --------------------------------------------------------------------------------------------------
# Vectorised sampling helpers.
# --------------------------------------------------------------------------------------------------
_U_SCALE = 1.0 - 1e-9  # keeps group + u strictly below group + 1 in floating point


def _choose(cum: np.ndarray, group: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Category per row from cum[group[row]] (rows of cumulative probabilities), with uniforms u."""
    k = cum.shape[1]
    flat = (np.arange(cum.shape[0], dtype=np.float64)[:, None] + cum).ravel()
    found = np.searchsorted(flat, group + u * _U_SCALE, side="right") - group * k
    return np.minimum(found, k - 1)


def _choose_flat(flat: np.ndarray, group: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Item index per row from a _flat_groups table, with uniforms u."""
    return np.minimum(np.searchsorted(flat, group + u * _U_SCALE, side="right"), len(flat) - 1)


@dataclass(frozen=True)
class _Coded:
    """A string column as values[codes]: text is built (and CSV-quoted) once per distinct value."""
    values: tuple[str, ...]
    codes: np.ndarray


# A block's columns: coded text, or arrow strings that never need CSV quoting (ids, coordinates).
_Columns = dict[str, "_Coded | pa.Array"]


def _take(values, codes: np.ndarray) -> _Coded:
    return _Coded(tuple(values), np.asarray(codes, dtype=np.int64))


def _texts_by_key(keys: np.ndarray, build) -> _Coded:
    """Build a string per distinct key once (build(key) -> str) and spread it over the rows."""
    unique, inverse = np.unique(keys, return_inverse=True)
    return _take([build(int(k)) for k in unique], inverse)


def _csv_cell(text: str) -> str:
    """RFC 4180: quote only a value holding a comma, quote or line break."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _table(columns: _Columns, csv_quoted: bool = False) -> pa.Table:
    arrays = {}
    for name, column in columns.items():
        if isinstance(column, _Coded):
            values = [_csv_cell(v) for v in column.values] if csv_quoted else list(column.values)
            arrays[name] = pa.array(values, type=pa.string()).take(pa.array(column.codes, type=pa.int64()))
        else:
            arrays[name] = column
    return pa.table(arrays)


def _fixed4(values: np.ndarray) -> pa.Array:
    """Decimal strings with exactly four decimals ("-0.1800"), without float-formatting surprises."""
    scaled = np.rint(values * 10_000).astype(np.int64)
    magnitude = np.abs(scaled)
    whole = pc.cast(pa.array(magnitude // 10_000), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(magnitude % 10_000), pa.string()), width=4, padding="0")
    sign = pa.array(np.where(scaled < 0, "-", ""), type=pa.string())
    return pc.binary_join_element_wise(sign, whole, ".", frac, "")


def _ids(prefix: str, first: int, count: int, width: int) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(first, first + count, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, width=width, padding="0"), "")


def _date_strings(first: date, days: int) -> tuple[str, ...]:
    base = np.datetime64(first.isoformat(), "D")
    return tuple(np.datetime_as_string(base + np.arange(days), unit="D").tolist())


def _day_weights(today: date) -> np.ndarray:
    """Relative chance of an engagement starting on each day from FIRST_DAY to today + HORIZON_DAYS."""
    start = np.datetime64(FIRST_DAY.isoformat(), "D")
    today64 = np.datetime64(today.isoformat(), "D")
    days = np.arange(start, today64 + np.timedelta64(HORIZON_DAYS + 1, "D"))
    years = (days - start).astype(np.float64) / 365.25
    weight = 1.13 ** years                                         # steady growth
    month = days.astype("datetime64[M]")
    covid = {"2020-03": 0.6, "2020-04": 0.2, "2020-05": 0.2, "2020-06": 0.25, "2020-07": 0.3, "2020-08": 0.3,
             "2020-09": 0.35, "2020-10": 0.4, "2020-11": 0.4, "2020-12": 0.4, "2021-01": 0.5, "2021-02": 0.5,
             "2021-03": 0.55, "2021-04": 0.6, "2021-05": 0.65, "2021-06": 0.7, "2021-07": 0.8, "2021-08": 0.8,
             "2021-09": 0.85, "2021-10": 0.85, "2021-11": 0.9, "2021-12": 0.9}
    for key, factor in covid.items():
        weight[month == np.datetime64(key, "M")] *= factor
    month_of_year = (month.astype(np.int64) % 12) + 1
    weight[month_of_year == 8] *= 0.75                             # August
    weight[month_of_year == 12] *= 0.75                            # December holidays
    weekday = (days.astype(np.int64) + 3) % 7                      # 1970-01-01 was a Thursday; 0 = Monday
    weight[weekday >= 5] *= 0.1
    ahead = (days - today64).astype(np.float64)
    future = ahead > 0
    weight[future] *= 0.9 * np.exp(-ahead[future] / 100.0)         # the pipeline thins out further ahead
    return weight


@lru_cache(maxsize=4)
def _calendar(today: date) -> tuple[np.ndarray, tuple[str, ...], int]:
    """(start-day CDF, date strings covering starts and ends, index of today)."""
    weight = _day_weights(today)
    cdf = np.cumsum(weight / weight.sum())
    cdf[-1] = 1.0
    dates = _date_strings(FIRST_DAY, len(weight) + 11) + ("",)
    return cdf, dates, (today - FIRST_DAY).days


# --------------------------------------------------------------------------------------------------
# Engagements.
# --------------------------------------------------------------------------------------------------
def _engagement_block(block: int, first: int, count: int, total: int, seed: int, today: date) -> _Columns:
    """Rows first .. first + count - 1 (0-based) of a run of `total` engagements."""
    m = _model()
    rng = np.random.Generator(np.random.PCG64([seed, 1, block]))
    cdf, dates, today_idx = _calendar(today)
    n_types, n_missions = len(TYPE_CODES), len(MISSION_CODES)
    n_countries, n_cities = len(m.iso3), len(m.city_names)
    empty_date = len(dates) - 1

    # Stratified start days: row i sits in quantile slot (i + u) / total, so the whole run is in date order.
    u = (np.arange(first, first + count, dtype=np.float64) + rng.random(count)) / total
    start = np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)

    country = np.minimum(np.searchsorted(m.country_cdf, rng.random(count), side="right"), n_countries - 1)
    mission = _choose(m.mission_cum, country, rng.random(count))
    etype = _choose(m.type_cum, country * n_missions + mission, rng.random(count))
    component = _choose(m.component_cum, mission, rng.random(count))
    sensitivity = _choose(m.sensitivity_cum, mission, rng.random(count))
    city = _choose_flat(m.city_flat, country, rng.random(count))
    duration = _choose(m.duration_cum, etype, rng.random(count))

    # Status: everything ahead of today is planned unless cancelled; the past is completed or cancelled,
    # with many cancellations in the first COVID months.
    future = start > today_idx
    covid_start = (date(2020, 3, 1) - FIRST_DAY).days
    covid_end = (date(2020, 6, 30) - FIRST_DAY).days
    cancel_p = np.where(future, 0.03, np.where((start >= covid_start) & (start <= covid_end), 0.30, 0.04))
    cancelled = rng.random(count) < cancel_p
    status = np.where(cancelled, 2, np.where(future, 0, 1))  # index into ENGAGEMENT_STATUSES

    end = start + duration
    end = np.where(status == 1, np.minimum(end, today_idx), end)  # completed ones are over by today
    one_day = (duration == 0) & np.isin(etype, [TYPE_CODES.index("meeting"), TYPE_CODES.index("information_exchange")])
    end = np.where(one_day & (rng.random(count) < ONE_DAY_NO_END_SHARE), empty_date, end)

    # Participants by type, a few unknown.
    median = np.array([PARTICIPANTS[t][0] for t in TYPE_CODES], dtype=np.float64)[etype]
    spread = np.array([PARTICIPANTS[t][1] for t in TYPE_CODES], dtype=np.float64)[etype]
    participants = np.clip(np.rint(median * np.exp(spread * rng.standard_normal(count))), 2, 400).astype(np.int64)
    participants = np.where(rng.random(count) < NO_PARTICIPANTS_SHARE, 401, participants)  # 401 = empty

    # Place: a weighted city of the country, jittered; some rows only know the country.
    lat = m.city_lat[city] + rng.uniform(-JITTER_DEG, JITTER_DEG, count)
    lon = m.city_lon[city] + rng.uniform(-JITTER_DEG, JITTER_DEG, count)
    no_coords = rng.random(count) < NO_COORDS_SHARE
    no_city = no_coords & (rng.random(count) < 0.5)
    place = np.where(no_city, n_cities + country, city)  # a city, or just the country

    # Country as written: an iso3 code, or now and then a name that import has to resolve.
    use_alias = rng.random(count) < ALIAS_SHARE
    alias = _choose_flat(m.alias_flat, country, rng.random(count))
    country_code = np.where(use_alias, n_countries + alias, country)

    title_variant = rng.integers(0, 3, count)
    topic = rng.integers(0, 3, count)
    tense = np.where(status == 2, 2, np.where(status == 0, 1, 0))

    def title(key: int) -> str:
        key, p = divmod(key, n_cities + n_countries)
        key, variant = divmod(key, 3)
        mi, ti = divmod(key, n_types)
        where = m.texts[p - n_cities] if p >= n_cities else m.texts[m.city_country[p]]
        text = f"{MISSION_LABELS[mi]} {TITLE_PHRASES[TYPE_CODES[ti]][variant]} with {where}"
        return text if p >= n_cities else f"{text} - {m.city_names[p]}"

    def summary(key: int) -> str:
        key, ci = divmod(key, n_countries)
        key, comp = divmod(key, len(COMPONENT_CODES))
        key, top = divmod(key, 3)
        key, te = divmod(key, 3)
        ti, mi = divmod(key, n_missions)
        subject, verbs, rest = SUMMARY_PARTS[TYPE_CODES[ti]]
        name = COMPONENT_NAMES[COMPONENT_CODES[comp]]
        text = (subject.format(comp=name, a="An" if name[0] in "AEIO" else "A") + " " + verbs[te] + " "
                + rest.format(country=m.texts[ci], topic=TOPICS[MISSION_CODES[mi]][top]))
        return text + CANCELLED_NOTE if te == 2 else text

    title_key = ((mission * n_types + etype) * 3 + title_variant) * (n_cities + n_countries) + place
    summary_key = ((((etype * n_missions + mission) * 3 + tense) * 3 + topic) * len(COMPONENT_CODES)
                   + component) * n_countries + country

    empty = pa.nulls(count, pa.string()).fill_null("")
    lat_text = pc.if_else(pa.array(no_coords), empty, _fixed4(lat))
    lon_text = pc.if_else(pa.array(no_coords), empty, _fixed4(lon))
    columns = {
        "engagement_id": _ids("DEMO-E", first + 1, count, 7),
        "title": _texts_by_key(title_key, title),
        "start_date": _take(dates, start),
        "end_date": _take(dates, end),
        "country": _take(m.iso3 + m.alias_names, country_code),
        "city": _take(m.city_names + ("",), np.where(no_city, n_cities, city)),
        "latitude": lat_text,
        "longitude": lon_text,
        "mission_area": _take(MISSION_CODES, mission),
        "engagement_type": _take(TYPE_CODES, etype),
        "component": _take(COMPONENT_CODES, component),
        "status": _take(tuple(code for code, _ in vocab.ENGAGEMENT_STATUSES), status),
        "participants": _take(tuple(str(i) for i in range(401)) + ("",), participants),
        "summary": _texts_by_key(summary_key, summary),
        "sensitivity": _take(SENSITIVITY_CODES, sensitivity),
        "demo": _take(("true",), np.zeros(count, dtype=np.int64)),
    }
    assert tuple(columns) == formats.ENGAGEMENTS.columns
    return columns


def _engagement_blocks(total: int, seed: int, today: date) -> Iterator[_Columns]:
    for block, first in enumerate(range(0, total, ENGAGEMENT_BLOCK)):
        yield _engagement_block(block, first, min(ENGAGEMENT_BLOCK, total - first), total, seed, today)


# --------------------------------------------------------------------------------------------------
# Agreements.
# --------------------------------------------------------------------------------------------------
def _agreement_columns(total: int, seed: int, today: date) -> _Columns:
    m = _model()
    rng = np.random.Generator(np.random.PCG64([seed, 2]))
    n_countries = len(m.iso3)
    position = {code: i for i, code in enumerate(m.iso3)}
    groups = [g for g in MULTILATERAL_GROUPS if all(code in position for code in g)]

    # Parties: mostly one partner, some two, some a multilateral group.
    kind = _choose(_cum([[80, 10, 10]]), np.zeros(total, dtype=np.int64), rng.random(total))
    first_party = np.minimum(np.searchsorted(m.country_cdf, rng.random(total), side="right"), n_countries - 1)
    # A second partner comes from the first one's region (regions in COUNTRIES order, weighted alike).
    regions = tuple(dict.fromkeys(c[2] for c in COUNTRIES))
    region_of = np.array([regions.index(c[2]) for c in COUNTRIES], dtype=np.int64)
    by_region = np.argsort(region_of, kind="stable")
    region_flat = _flat_groups(region_of[by_region], np.array([c[3] for c in COUNTRIES])[by_region], len(regions))
    second_party = by_region[_choose_flat(region_flat, region_of[first_party], rng.random(total))]
    for _ in range(50):  # redraw second partners that repeat the first
        same = np.flatnonzero((kind == 1) & (second_party == first_party))
        if len(same) == 0:
            break
        second_party[same] = by_region[_choose_flat(region_flat, region_of[first_party[same]], rng.random(len(same)))]
    kind[(kind == 1) & (second_party == first_party)] = 0  # a region of one: stays bilateral
    group = rng.integers(0, len(groups), total)

    parties: list[tuple[str, ...]] = []
    for i in range(total):
        if kind[i] == 0:
            parties.append((m.iso3[first_party[i]],))
        elif kind[i] == 1:
            parties.append(tuple(sorted((m.iso3[first_party[i]], m.iso3[second_party[i]]))))
        else:
            parties.append(tuple(sorted(groups[group[i]])))
    # The partner whose profile sets the mission area: the drawn one, or a group's first member.
    lead = np.array([first_party[i] if kind[i] < 2 else position[parties[i][0]] for i in range(total)],
                    dtype=np.int64)

    mission = _choose(m.mission_cum, lead, rng.random(total))
    component = _choose(m.component_cum, mission, rng.random(total))
    sensitivity = _choose(m.sensitivity_cum, mission, rng.random(total))
    type_weights = np.array([[AGREEMENT_TYPE_WEIGHT[t] for t in AGREEMENT_TYPE_CODES]], dtype=np.float64)
    multi_weights = type_weights.copy()
    multi_weights[0, AGREEMENT_TYPE_CODES.index("joint_statement")] *= 4
    atype = _choose(_cum(np.vstack([type_weights, multi_weights])), (kind == 2).astype(np.int64), rng.random(total))
    status = _choose(_cum([[AGREEMENT_STATUS_WEIGHT[s] for s in AGREEMENT_STATUS_CODES]]),
                     np.zeros(total, dtype=np.int64), rng.random(total))
    subject = rng.integers(0, 6, total)

    # Dates as day numbers relative to today; `none` = empty.
    term_years = np.array([2, 3, 5, 5, 10])[rng.integers(0, 5, total)]
    term = np.rint(term_years * 365.25).astype(np.int64)
    lag = rng.integers(0, 241, total)                    # signature to entry into force
    earliest = (EARLIEST_AGREEMENT - today).days
    r1, r2, r3 = rng.random(total), rng.random(total), rng.random(total)
    none = np.iinfo(np.int64).min
    signed = np.full(total, none)
    in_force = signed.copy()
    expires = signed.copy()
    for i in range(total):
        s = AGREEMENT_STATUS_CODES[status[i]]
        if s == "negotiation":
            continue
        if s == "signed":
            signed[i] = -int(10 + r1[i] * 700)
            if r2[i] < 0.5:
                in_force[i] = int(15 + r3[i] * 255)      # scheduled to enter into force
                if r3[i] < 0.5:
                    expires[i] = in_force[i] + term[i]
            continue
        if s == "in_force":
            if r1[i] < 0.35:                              # open-ended
                in_force[i] = int(earliest + 90 + r2[i] * (-30 - earliest - 90))
            else:
                ahead = 1 + r2[i] * 729 if r3[i] < 0.3 else 731 + r2[i] * 2919   # 30% due within 24 months
                expires[i] = int(ahead)
                in_force[i] = min(expires[i] - term[i], -int(30 + r3[i] * 690))
        elif s == "expired":
            expires[i] = -int(1 + r1[i] * 2500)
            in_force[i] = expires[i] - term[i]
        else:  # terminated early
            in_force[i] = int(earliest + 90 + r1[i] * (-400 - earliest - 90))
            if r2[i] < 0.4:
                expires[i] = in_force[i] + term[i]
        in_force[i] = max(in_force[i], earliest + 30)
        signed[i] = max(in_force[i] - lag[i], earliest)

    def iso(day: int) -> str:
        return "" if day == none else date.fromordinal(today.toordinal() + int(day)).isoformat()

    titles, summaries = [], []
    for i in range(total):
        mission_code = MISSION_CODES[mission[i]]
        subjects = AGREEMENT_SUBJECTS[mission_code]
        subj = subjects[subject[i] % len(subjects)]
        kind_title = AGREEMENT_TYPE_TITLE[AGREEMENT_TYPE_CODES[atype[i]]]
        titles.append(f"{kind_title} on {subj} ({'-'.join(('USA',) + parties[i])})")
        partners = [m.texts[position[p]] for p in parties[i]]
        partner_text = partners[0] if len(partners) == 1 else ", ".join(partners[:-1]) + " and " + partners[-1]
        summaries.append(f"{kind_title} between the U.S. Department of Homeland Security and {partner_text} "
                         f"on {vocab.mission_area_label(mission_code).lower()}; lead component "
                         f"{COMPONENT_NAMES[COMPONENT_CODES[component[i]]]}.")

    rows = np.arange(total, dtype=np.int64)
    columns = {
        "agreement_id": _ids("DEMO-A", 1, total, 5),
        "title": _take(titles, rows),
        "agreement_type": _take(AGREEMENT_TYPE_CODES, atype),
        "countries": _take([formats.COUNTRY_SEPARATOR.join(p) for p in parties], rows),
        "mission_area": _take(MISSION_CODES, mission),
        "status": _take(AGREEMENT_STATUS_CODES, status),
        "date_signed": _take([iso(d) for d in signed], rows),
        "date_in_force": _take([iso(d) for d in in_force], rows),
        "date_expires": _take([iso(d) for d in expires], rows),
        "component": _take(COMPONENT_CODES, component),
        "summary": _take(summaries, rows),
        "sensitivity": _take(SENSITIVITY_CODES, sensitivity),
        "demo": _take(("true",), np.zeros(total, dtype=np.int64)),
    }
    assert tuple(columns) == formats.AGREEMENTS.columns
    return columns


# --------------------------------------------------------------------------------------------------
# Public API.
# --------------------------------------------------------------------------------------------------
def _frame(blocks: Iterator[_Columns], columns: tuple[str, ...]) -> pd.DataFrame:
    tables = [_table(block) for block in blocks]
    if not tables:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    return pa.concat_tables(tables).to_pandas()


def generate(engagements: int, agreements: int, seed: int,
             today: date = DEFAULT_TODAY) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(engagements, agreements) frames in the import formats; every value a string, "" when empty."""
    if engagements < 0 or agreements < 0:
        raise ValueError("row counts must not be negative")
    eng = _frame(_engagement_blocks(engagements, seed, today), formats.ENGAGEMENTS.columns)
    agr = _frame(_agreement_blocks(agreements, seed, today), formats.AGREEMENTS.columns)
    return eng, agr


def _agreement_blocks(total: int, seed: int, today: date) -> Iterator[_Columns]:
    if total:
        yield _agreement_columns(total, seed, today)


def _csv_bytes(columns: _Columns) -> memoryview:
    """The rows as CSV lines (values quoted where needed, LF line ends), without copying into Python."""
    table = _table(columns, csv_quoted=True)
    cells = [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in table.columns]
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, ","), "\n", "")
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset: lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[offsets[0]: offsets[-1]]


def _write_csv(path: Path, columns: tuple[str, ...], blocks: Iterator[_Columns]) -> None:
    with path.open("wb") as handle:
        handle.write((",".join(columns) + "\n").encode("utf-8"))
        for block in blocks:
            handle.write(_csv_bytes(block))


def write(out_dir, engagements: int, agreements: int, seed: int,
          today: date = DEFAULT_TODAY) -> tuple[Path, Path]:
    """Write engagements.csv and agreements.csv (UTF-8, LF, header) to out_dir; the rows generate() returns.

    Engagements are streamed block by block, so ten million rows need only one block in memory.
    """
    if engagements < 0 or agreements < 0:
        raise ValueError("row counts must not be negative")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    eng_path, agr_path = out / "engagements.csv", out / "agreements.csv"
    _write_csv(eng_path, formats.ENGAGEMENTS.columns, _engagement_blocks(engagements, seed, today))
    _write_csv(agr_path, formats.AGREEMENTS.columns, _agreement_blocks(agreements, seed, today))
    return eng_path, agr_path
