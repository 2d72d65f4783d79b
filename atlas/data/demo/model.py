"""The model: every table the generator samples from, built once from the partners and the weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from atlas.data.demo.partners import MIDDLE_EAST, WITH_ARTICLE, country_aliases, load_cities, partners, programme_sets
from atlas.data.demo.weights import (
    BASE_MISSION_WEIGHT,
    BASE_TYPE_WEIGHT,
    COMPONENT_BY_MISSION,
    COMPONENT_CODES,
    DURATION_WEIGHTS,
    MISSION_CODES,
    SENSITIVITY_BY_MISSION,
    SENSITIVITY_DEFAULT,
    TRAINING_REGIONS,
    TYPE_BOOST_BY_MISSION,
    TYPE_CODES,
)


@dataclass(frozen=True)
class Model:
    iso3: tuple[str, ...]
    texts: tuple[str, ...]  # names as used in a sentence ("the United Kingdom")
    country_cdf: np.ndarray
    mission_cum: np.ndarray  # (countries, missions)
    type_cum: np.ndarray  # (countries * missions, types)
    component_cum: np.ndarray  # (missions, components)
    duration_cum: np.ndarray  # (types, 11)
    sensitivity_cum: np.ndarray  # (missions, 3)
    city_names: tuple[str, ...]
    city_country: np.ndarray
    city_lat: np.ndarray
    city_lon: np.ndarray
    city_flat: np.ndarray  # country index + cumulative weight within the country
    alias_names: tuple[str, ...]
    alias_flat: np.ndarray  # country index + cumulative weight within the country


def cumulative(rows: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
    """Row-wise cumulative probabilities, the last column exactly 1."""
    values = np.asarray(rows, dtype=np.float64)
    out = np.cumsum(values / values.sum(axis=1, keepdims=True), axis=1)
    out[:, -1] = 1.0
    return out


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
    if iso3 == "MEX" or region == "Central America":
        w["border"] *= 3.0
        w["immigration"] *= 4.0
    elif region == "Caribbean":
        w["border"] *= 2.5
        w["immigration"] *= 1.8
    elif region == "South America":
        w["border"] *= 1.5
        w["immigration"] *= 2.5 if iso3 in ("COL", "ECU", "PER", "VEN") else 1.2
    elif region == "Africa":
        w["border"] *= 1.4
    if iso3 == "CAN":
        w["border"] *= 2.0
        w["immigration"] *= 1.5
    if region in (MIDDLE_EAST, "Europe"):
        w["counterterrorism"] *= 2.2
    return [w[code] for code in MISSION_CODES]


def _type_weights(iso3: str, region: str, mission: str) -> list[float]:
    w: dict[str, float] = dict(BASE_TYPE_WEIGHT)
    for code, factor in TYPE_BOOST_BY_MISSION.get(mission, {}).items():
        w[code] *= factor
    if iso3 == "MEX" or region in TRAINING_REGIONS:
        w["training"] *= 1.6
        w["technical_assistance"] *= 1.3
    return [w[code] for code in TYPE_CODES]


def flat_groups(group: np.ndarray, weights: np.ndarray, groups: int) -> np.ndarray:
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


@lru_cache(maxsize=1)
def model() -> Model:
    sets = programme_sets()
    countries = partners()
    iso3 = tuple(p.iso3 for p in countries)
    position = {code: i for i, code in enumerate(iso3)}
    weights = np.array([p.weight for p in countries], dtype=np.float64)
    country_cdf = np.cumsum(weights / weights.sum())
    country_cdf[-1] = 1.0

    mission_cum = cumulative([_mission_weights(p.iso3, p.region, sets) for p in countries])
    type_cum = cumulative([_type_weights(p.iso3, p.region, m) for p in countries for m in MISSION_CODES])
    component_cum = cumulative(
        [[dict(COMPONENT_BY_MISSION[m]).get(code, 0.0) for code in COMPONENT_CODES] for m in MISSION_CODES]
    )
    duration_cum = cumulative([list(DURATION_WEIGHTS[t]) + [0] * (11 - len(DURATION_WEIGHTS[t])) for t in TYPE_CODES])
    sensitivity_cum = cumulative([SENSITIVITY_BY_MISSION.get(m, SENSITIVITY_DEFAULT) for m in MISSION_CODES])

    cities = load_cities()
    unknown = sorted({c["iso3"] for c in cities} - set(position))
    if unknown:
        raise ValueError(f"demo_cities.csv has countries the demo does not use: {unknown}")
    order = sorted(range(len(cities)), key=lambda i: (position[cities[i]["iso3"]], i))
    cities = [cities[i] for i in order]
    city_country = np.array([position[c["iso3"]] for c in cities], dtype=np.int64)
    city_flat = flat_groups(city_country, np.array([c["weight"] for c in cities]), len(iso3))

    aliases = sorted(country_aliases(), key=lambda pair: position[pair[1]])  # stable: keeps listed order
    alias_country = np.array([position[code] for _, code in aliases], dtype=np.int64)
    alias_flat = flat_groups(alias_country, np.ones(len(aliases)), len(iso3))

    return Model(
        iso3=iso3,
        texts=tuple(("the " + p.name) if p.iso3 in WITH_ARTICLE else p.name for p in countries),
        country_cdf=country_cdf,
        mission_cum=mission_cum,
        type_cum=type_cum,
        component_cum=component_cum,
        duration_cum=duration_cum,
        sensitivity_cum=sensitivity_cum,
        city_names=tuple(c["city"] for c in cities),
        city_country=city_country,
        city_lat=np.array([c["lat"] for c in cities]),
        city_lon=np.array([c["lon"] for c in cities]),
        city_flat=city_flat,
        alias_names=tuple(a for a, _ in aliases),
        alias_flat=alias_flat,
    )
