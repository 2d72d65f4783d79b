"""atlas.data.vocab: one place for each fact; lookups resolve the spellings analysts type; fold is the key."""

from __future__ import annotations

import itertools
import re

import colour_difference
import pytest

from atlas.data import vocab
from atlas.views import projector

PAIRS = {
    "components": vocab.COMPONENTS,
    "engagement types": vocab.ENGAGEMENT_TYPES,
    "engagement statuses": vocab.ENGAGEMENT_STATUSES,
    "agreement types": vocab.AGREEMENT_TYPES,
    "agreement statuses": vocab.AGREEMENT_STATUSES,
    "sensitivities": vocab.SENSITIVITIES,
}
LOOKUPS = {
    "components": vocab.COMPONENT_LOOKUP,
    "engagement types": vocab.ENGAGEMENT_TYPE_LOOKUP,
    "engagement statuses": vocab.ENGAGEMENT_STATUS_LOOKUP,
    "agreement types": vocab.AGREEMENT_TYPE_LOOKUP,
    "agreement statuses": vocab.AGREEMENT_STATUS_LOOKUP,
    "sensitivities": vocab.SENSITIVITY_LOOKUP,
}


def test_the_mission_areas_are_these_seven_in_this_order():
    assert [(a.code, a.label, a.colour) for a in vocab.MISSION_AREAS] == [
        ("visa", "Visa Security", "#0072B2"),
        ("aviation", "Aviation Security", "#2C94F2"),
        ("cargo", "Cargo Security", "#816935"),
        ("border", "Border Security and Training", "#009E73"),
        ("immigration", "Immigration Policy", "#CC79A7"),
        ("law_enforcement", "Law Enforcement", "#D55E00"),
        ("counterterrorism", "Counter-Terrorism", "#687078"),
    ]


@pytest.mark.parametrize("field", ["code", "label", "colour", "description"])
def test_mission_area_codes_labels_colours_and_descriptions_are_unique(field):
    values = [getattr(a, field) for a in vocab.MISSION_AREAS]
    assert len(set(values)) == len(values)


def test_mission_area_colours_are_hex_and_codes_are_identifiers():
    assert all(re.fullmatch(r"#[0-9A-F]{6}", a.colour) for a in vocab.MISSION_AREAS)
    assert all(re.fullmatch(r"[a-z_]+", a.code) for a in vocab.MISSION_AREAS)
    assert all(a.description.endswith(".") for a in vocab.MISSION_AREAS)


# The stacked bars and the map's markers tell mission areas apart by colour alone (the legend names them): every
# pair must differ visibly for every viewer, by two measures: CIEDE2000 (perceptual; 10 is seen at a glance) and
# the plain CIELAB distance. The floors sit under the closest pairs kept: CIEDE2000 7.8 (cargo and law
# enforcement, protanopia) and CIELAB 15.4 (aviation and border, tritanopia). The slate of Counter-Terrorism
# replaced a second brown that was 7.3 CIEDE2000 from Law Enforcement under deuteranopia.
MIN_DIFFERENCE, MIN_DISTANCE = 7.5, 15


@pytest.mark.parametrize("vision", list(colour_difference.VISIONS))
def test_every_two_mission_area_colours_are_told_apart(vision):
    close = [
        (
            a.code,
            b.code,
            round(colour_difference.difference(a.colour, b.colour, vision), 1),
            round(colour_difference.distance76(a.colour, b.colour, vision), 1),
        )
        for a, b in itertools.combinations(vocab.MISSION_AREAS, 2)
        if colour_difference.difference(a.colour, b.colour, vision) < MIN_DIFFERENCE
        or colour_difference.distance76(a.colour, b.colour, vision) < MIN_DISTANCE
    ]
    assert close == [], f"too alike for {vision}: {close}"


def test_the_colour_arithmetic_gives_known_answers():
    # Sharma, Wu and Dalal's test data, pair 1, and WCAG's black on white.
    assert colour_difference.delta_e2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert projector.contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert colour_difference.difference("#816935", "#816935", "deuteranopia") == 0


@pytest.mark.parametrize("background", ["#FFFFFF", "#0E1117"], ids=["light", "dark"])
def test_mission_area_colours_stand_out_from_both_themes_backgrounds(background):
    """WCAG 1.4.11: a bar or marker 3:1 against the page behind it ([theme.light]/[theme.dark] backgrounds; the
    Counter-Terrorism yellow #F0E442 of the first version had 1.3:1 and vanished on white)."""
    low = {a.code: round(projector.contrast(a.colour, background), 2) for a in vocab.MISSION_AREAS}
    assert {c: r for c, r in low.items() if r < 3} == {}


def test_the_derived_tables_agree_with_the_list():
    assert vocab.MISSION_AREA_BY_CODE == {a.code: a for a in vocab.MISSION_AREAS}
    assert vocab.MISSION_AREA_COLOURS == {a.code: a.colour for a in vocab.MISSION_AREAS}
    assert list(vocab.MISSION_AREA_COLOURS) == [a.code for a in vocab.MISSION_AREAS]


@pytest.mark.parametrize("name", PAIRS)
def test_every_vocabulary_has_unique_codes_and_labels(name):
    codes, labels = zip(*PAIRS[name], strict=True)
    assert len(set(codes)) == len(codes) and len(set(labels)) == len(labels)


def test_agreement_statuses_in_lifecycle_order_each_with_a_colour():
    assert [c for c, _ in vocab.AGREEMENT_STATUSES] == ["negotiation", "signed", "in_force", "expired", "terminated"]
    assert list(vocab.AGREEMENT_STATUS_COLOURS) == [c for c, _ in vocab.AGREEMENT_STATUSES]


def test_sensitivity_ranks_rise_with_the_level():
    assert vocab.SENSITIVITY_RANK == {"public": 0, "internal": 1, "restricted": 2}
    assert vocab.DEFAULT_SENSITIVITY == "internal"


@pytest.mark.parametrize(
    "typed, code",
    [
        ("visa", "visa"),
        ("Visa Security", "visa"),
        ("VISA SECURITY", "visa"),
        ("  visa   security ", "visa"),
        ("AVIATION", "aviation"),
        ("border security and training", "border"),
        ("Border Security", "border"),
        ("border training", "border"),
        ("law enforcement", "law_enforcement"),
        ("Law_Enforcement", "law_enforcement"),
        ("Counter-Terrorism", "counterterrorism"),
        ("counter terrorism", "counterterrorism"),
        ("CT", "counterterrorism"),
        ("immigration", "immigration"),
    ],
)
def test_mission_area_spellings_resolve(typed, code):
    assert vocab.MISSION_AREA_LOOKUP[vocab.fold(typed)] == code


@pytest.mark.parametrize(
    "name, typed, code",
    [
        ("components", "HSI", "ICE"),
        ("components", "U.S. Coast Guard", "USCG"),
        ("components", "dhs oia", "OIA"),
        ("components", "s&t", "S&T"),
        ("engagement types", "Technical assistance", "technical_assistance"),
        ("engagement types", "technical assistance", "technical_assistance"),
        ("engagement types", "TA", "technical_assistance"),
        ("engagement types", "trainings", "training"),
        ("engagement statuses", "canceled", "cancelled"),
        ("engagement statuses", "held", "completed"),
        ("engagement statuses", "Scheduled", "planned"),
        ("agreement types", "Memorandum of Understanding", "mou"),
        ("agreement types", "joint statement", "joint_statement"),
        ("agreement statuses", "in force", "in_force"),
        ("agreement statuses", "Active", "in_force"),
        ("agreement statuses", "entered into force", "in_force"),
        ("agreement statuses", "In negotiation", "negotiation"),
        ("sensitivities", "RESTRICTED", "restricted"),
    ],
)
def test_other_spellings_resolve(name, typed, code):
    assert LOOKUPS[name][vocab.fold(typed)] == code


@pytest.mark.parametrize("name", PAIRS)
def test_every_code_and_label_resolves_to_its_code(name):
    lookup = LOOKUPS[name]
    assert {code: (lookup[vocab.fold(code)], lookup[vocab.fold(label)]) for code, label in PAIRS[name]} == {
        code: (code, code) for code, _ in PAIRS[name]
    }


@pytest.mark.parametrize("name", PAIRS)
def test_lookups_resolve_only_to_real_codes(name):
    assert set(LOOKUPS[name].values()) == {code for code, _ in PAIRS[name]}


def test_unknown_spellings_do_not_resolve():
    assert vocab.fold("cyber") not in vocab.MISSION_AREA_LOOKUP
    assert vocab.fold("DOJ") not in vocab.COMPONENT_LOOKUP


@pytest.mark.parametrize(
    "text, key",
    [
        (" Côte  d’Ivoire ", "cote d'ivoire"),
        ("SÃO TOMÉ", "sao tome"),
        ("Curaçao", "curacao"),
        ("Straße", "strasse"),  # casefold, not lower
        ("a\u00a0b", "a b"),  # no-break space
        ("\u2018quoted\u2019", "'quoted'"),
        ("", ""),
        (12, "12"),
    ],
)
def test_fold(text, key):
    assert vocab.fold(text) == key


def test_fold_is_idempotent():
    for text in (" Côte  d’Ivoire ", "Straße", "Border Security and Training"):
        assert vocab.fold(vocab.fold(text)) == vocab.fold(text)


def test_labels_of_codes():
    assert vocab.label_of(vocab.AGREEMENT_STATUSES, "in_force") == "In force"
    assert vocab.label_of(vocab.AGREEMENT_STATUSES, "unknown") == "unknown"
    assert vocab.mission_area_label("law_enforcement") == "Law Enforcement"
    assert vocab.mission_area_label("nope") == "nope"


def test_washington_and_the_priority_partners():
    assert vocab.WASHINGTON_DC == (38.9072, -77.0369)
    assert vocab.PRIORITY_PARTNERS == ("CAN", "MEX", "GBR")
