"""The controlled vocabularies: mission areas, components, types, statuses, sensitivity.

One place for each fact. The database tables of the same names are filled from here,
and import resolves user spellings against these lists.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class MissionArea:
    code: str
    label: str
    # Okabe-Ito hues (darkened where needed) and a grey: 3:1 on both themes, told apart (tests/test_vocab.py)
    colour: str
    description: str


MISSION_AREAS: tuple[MissionArea, ...] = (
    MissionArea(
        "visa",
        "Visa Security",
        "#0072B2",
        "Visa security and screening, Visa Waiver Program, information sharing on travellers.",
    ),
    MissionArea(
        "aviation",
        "Aviation Security",
        "#2C94F2",
        "Aviation and airport security, Preclearance, last-point-of-departure flights.",
    ),
    MissionArea(
        "cargo",
        "Cargo Security",
        "#816935",
        "Cargo and supply-chain security, Container Security Initiative ports, trade.",
    ),
    MissionArea(
        "border",
        "Border Security and Training",
        "#009E73",
        "Border management, capacity building and training of foreign border officials.",
    ),
    MissionArea(
        "immigration",
        "Immigration Policy",
        "#CC79A7",
        "Immigration policy, asylum and refugee cooperation, returns and readmission.",
    ),
    MissionArea(
        "law_enforcement",
        "Law Enforcement",
        "#D55E00",
        "Law-enforcement cooperation, investigations, serious-crime information sharing.",
    ),
    MissionArea(
        "counterterrorism",
        "Counter-Terrorism",
        "#687078",
        "Counter-terrorism cooperation, terrorist travel, watchlisting.",
    ),
)
MISSION_AREA_BY_CODE = {m.code: m for m in MISSION_AREAS}
MISSION_AREA_COLOURS = {m.code: m.colour for m in MISSION_AREAS}

# DHS operational and support components that carry out international engagements.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("CBP", "U.S. Customs and Border Protection"),
    ("ICE", "U.S. Immigration and Customs Enforcement"),
    ("TSA", "Transportation Security Administration"),
    ("USCIS", "U.S. Citizenship and Immigration Services"),
    ("USCG", "U.S. Coast Guard"),
    ("CISA", "Cybersecurity and Infrastructure Security Agency"),
    ("FEMA", "Federal Emergency Management Agency"),
    ("FLETC", "Federal Law Enforcement Training Centers"),
    ("USSS", "U.S. Secret Service"),
    ("I&A", "Office of Intelligence and Analysis"),
    ("PLCY", "Office of Strategy, Policy, and Plans"),
    ("S&T", "Science and Technology Directorate"),
    ("OIA", "Office of International Affairs"),
)
# data/README.md documents "ICE (HSI)": Homeland Security Investigations is part of ICE.
COMPONENT_ALIASES = {
    "HSI": "ICE",
    "ICE (HSI)": "ICE",
    "ICE HSI": "ICE",
    "ICE/HSI": "ICE",
    "DHS PLCY": "PLCY",
    "OFFICE OF INTERNATIONAL AFFAIRS": "OIA",
    "DHS OIA": "OIA",
    "COAST GUARD": "USCG",
    "SECRET SERVICE": "USSS",
}

ENGAGEMENT_TYPES: tuple[tuple[str, str], ...] = (
    ("meeting", "Meeting"),
    ("delegation", "Delegation"),
    ("training", "Training"),
    ("technical_assistance", "Technical assistance"),
    ("information_exchange", "Information exchange"),
    ("conference", "Conference"),
)

ENGAGEMENT_STATUSES: tuple[tuple[str, str], ...] = (
    ("planned", "Planned"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
)

# Who led an engagement on the department's side (optional): principal = the Secretary or Deputy Secretary.
LEVELS: tuple[tuple[str, str], ...] = (
    ("principal", "Principal"),
    ("senior", "Senior official"),
    ("working", "Working level"),
)

# How many partners an engagement had: the sidebar's partnership filter (a country or an organization each).
PARTNERSHIPS: tuple[tuple[str, str], ...] = (
    ("bilateral", "Bilateral (one partner)"),
    ("multilateral", "Multilateral (several partners)"),
    ("organization", "With an international organization"),
)

# What a page's numbers count when a record has several partners, said once on every page that shows counts
# (atlas.app.widgets.page_header): "total" a total counts a record once; "per_country" a country's figure counts it
# for each of its partner countries; "per_partner" the same for each partner country or organization; "both".
COUNTING: dict[str, str] = {
    "total": "Totals count each {noun} once, however many partners.",
    "per_country": "Per-country figures count each {noun} for each partner country.",
    "per_partner": "Each partner's figures (country or organization) count every {noun} naming it.",
    "both": "Totals count each {noun} once; per-country figures count it for each partner country.",
}


def counting_note(counting: str, noun: str = "engagement") -> str:
    """The counting rule in one sentence: counting_note("both") ->
    'Totals count each engagement once; per-country figures count it for each partner country.'"""
    return COUNTING[counting].format(noun=noun)


AGREEMENT_TYPES: tuple[tuple[str, str], ...] = (
    ("mou", "Memorandum of understanding"),
    ("arrangement", "Arrangement"),
    ("agreement", "Agreement"),
    ("treaty", "Treaty"),
    ("joint_statement", "Joint statement"),
)

# Lifecycle order matters: it is the order of the pipeline chart.
AGREEMENT_STATUSES: tuple[tuple[str, str], ...] = (
    ("negotiation", "In negotiation"),
    ("signed", "Signed"),
    ("in_force", "In force"),
    ("expired", "Expired"),
    ("terminated", "Terminated"),
)
AGREEMENT_STATUS_COLOURS = {
    "negotiation": "#E69F00",
    "signed": "#56B4E9",
    "in_force": "#009E73",
    "expired": "#999999",
    "terminated": "#D55E00",
}

# Ranked: a viewer cleared for a level sees that level and every lower one.
SENSITIVITIES: tuple[tuple[str, str], ...] = (
    ("public", "Public"),
    ("internal", "Internal"),
    ("restricted", "Restricted"),
)
SENSITIVITY_RANK = {code: rank for rank, (code, _) in enumerate(SENSITIVITIES)}
DEFAULT_SENSITIVITY = "internal"

PRIORITY_PARTNERS = ("CAN", "MEX", "GBR")

# Washington, DC: where the partnership arcs start.
WASHINGTON_DC = (38.9072, -77.0369)

# International organizations on charts and maps (their bars, headquarters markers and arcs): a purple no mission
# area wears, so an organization never reads as an area.
ORGANIZATION_COLOUR = "#6A3D9A"


def fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive key: fold(' Côte  d’Ivoire ') == "cote d'ivoire"."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    return " ".join(text.casefold().split())


def _lookup(pairs: tuple[tuple[str, str], ...], extra: dict[str, str] | None = None) -> dict[str, str]:
    table = {}
    for code, label in pairs:
        table[fold(code)] = code
        table[fold(code.replace("_", " "))] = code
        table[fold(label)] = code
    for alias, code in (extra or {}).items():
        table[fold(alias)] = code
    return table


MISSION_AREA_LOOKUP = _lookup(
    tuple((m.code, m.label) for m in MISSION_AREAS),
    {
        "border security": "border",
        "border training": "border",
        "law enforcement": "law_enforcement",
        "counter-terrorism": "counterterrorism",
        "counter terrorism": "counterterrorism",
        "ct": "counterterrorism",
        "immigration": "immigration",
        "visa": "visa",
    },
)
COMPONENT_LOOKUP = _lookup(COMPONENTS, COMPONENT_ALIASES)
ENGAGEMENT_TYPE_LOOKUP = _lookup(
    ENGAGEMENT_TYPES,
    {"meetings": "meeting", "delegations": "delegation", "trainings": "training", "ta": "technical_assistance"},
)
ENGAGEMENT_STATUS_LOOKUP = _lookup(
    ENGAGEMENT_STATUSES, {"canceled": "cancelled", "scheduled": "planned", "held": "completed", "complete": "completed"}
)
LEVEL_LOOKUP = _lookup(LEVELS, {"senior": "senior", "working": "working", "ministerial": "principal"})
AGREEMENT_TYPE_LOOKUP = _lookup(
    AGREEMENT_TYPES, {"memorandum of understanding": "mou", "memorandum of cooperation": "mou"}
)
AGREEMENT_STATUS_LOOKUP = _lookup(
    AGREEMENT_STATUSES,
    {
        "in negotiation": "negotiation",
        "negotiating": "negotiation",
        "entered into force": "in_force",
        "active": "in_force",
        "in force": "in_force",
    },
)
SENSITIVITY_LOOKUP = _lookup(SENSITIVITIES)


def label_of(pairs: tuple[tuple[str, str], ...], code: str) -> str:
    """Label for a code in one of the (code, label) vocabularies; the code itself if unknown."""
    return labels_of(pairs).get(code, code)


@functools.cache
def labels_of(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """code -> label of one vocabulary (built once: tables label every cell through it). Do not change it."""
    return dict(pairs)


def mission_area_label(code: str) -> str:
    area = MISSION_AREA_BY_CODE.get(code)
    return area.label if area else code
