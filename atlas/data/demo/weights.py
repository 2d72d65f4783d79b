"""How the demo's activity is shaped: weights of mission areas, components, types, durations and statuses."""

from __future__ import annotations

from datetime import date

from atlas.data import vocab

MISSION_CODES = tuple(m.code for m in vocab.MISSION_AREAS)
MISSION_LABELS = tuple(m.label for m in vocab.MISSION_AREAS)
COMPONENT_CODES = tuple(code for code, _ in vocab.COMPONENTS)
COMPONENT_NAMES = dict(vocab.COMPONENTS)
TYPE_CODES = tuple(code for code, _ in vocab.ENGAGEMENT_TYPES)
SENSITIVITY_CODES = tuple(code for code, _ in vocab.SENSITIVITIES)
AGREEMENT_TYPE_CODES = tuple(code for code, _ in vocab.AGREEMENT_TYPES)
AGREEMENT_STATUS_CODES = tuple(code for code, _ in vocab.AGREEMENT_STATUSES)

BASE_MISSION_WEIGHT = {
    "visa": 1.0,
    "aviation": 0.9,
    "cargo": 0.7,
    "border": 1.0,
    "immigration": 0.5,
    "law_enforcement": 1.7,
    "counterterrorism": 0.7,
}

COMPONENT_BY_MISSION: dict[str, tuple[tuple[str, float], ...]] = {
    "visa": (("ICE", 35), ("CBP", 30), ("PLCY", 23), ("OIA", 10), ("USCIS", 2)),
    "aviation": (("TSA", 55), ("CBP", 30), ("S&T", 5), ("OIA", 5), ("I&A", 3), ("CISA", 2)),
    "cargo": (("CBP", 72), ("USCG", 8), ("ICE", 8), ("TSA", 5), ("S&T", 3), ("OIA", 4)),
    "border": (("CBP", 50), ("FLETC", 20), ("USCG", 15), ("ICE", 5), ("OIA", 5), ("S&T", 3), ("FEMA", 2)),
    "immigration": (("USCIS", 40), ("PLCY", 30), ("ICE", 20), ("CBP", 5), ("OIA", 5)),
    "law_enforcement": (("ICE", 45), ("USSS", 20), ("FLETC", 20), ("CBP", 5), ("USCG", 5), ("OIA", 5)),
    "counterterrorism": (("I&A", 35), ("OIA", 25), ("PLCY", 25), ("CBP", 5), ("ICE", 4), ("TSA", 3), ("CISA", 3)),
}

BASE_TYPE_WEIGHT = {
    "meeting": 32,
    "delegation": 12,
    "training": 16,
    "technical_assistance": 12,
    "information_exchange": 16,
    "conference": 12,
}
TYPE_BOOST_BY_MISSION = {
    "border": {"training": 2.5, "technical_assistance": 1.8},
    "law_enforcement": {"training": 1.5, "information_exchange": 1.3},
    "counterterrorism": {"information_exchange": 1.8},
    "visa": {"information_exchange": 1.5},
    "cargo": {"technical_assistance": 1.5},
    "aviation": {"technical_assistance": 1.3},
    "immigration": {"meeting": 1.3},
}
TRAINING_REGIONS = ("Central America", "Caribbean")  # plus Mexico: training-heavy capacity building

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
PARTICIPANTS = {
    "meeting": (8, 0.5),
    "delegation": (6, 0.4),
    "training": (25, 0.6),
    "technical_assistance": (10, 0.5),
    "information_exchange": (8, 0.5),
    "conference": (80, 0.7),
}

# public / internal / restricted by mission area: about 25 / 65 / 10 overall.
SENSITIVITY_BY_MISSION = {"counterterrorism": (10, 60, 30), "law_enforcement": (18, 67, 15)}
SENSITIVITY_DEFAULT = (29, 65, 6)

AGREEMENT_TYPE_WEIGHT = {"mou": 40, "arrangement": 20, "agreement": 25, "treaty": 4, "joint_statement": 11}
AGREEMENT_STATUS_WEIGHT = {"negotiation": 12, "signed": 7, "in_force": 63, "expired": 12, "terminated": 6}
EARLIEST_AGREEMENT = date(2003, 3, 1)  # the Department's first day
