"""Engagements: blocks of ENGAGEMENT_BLOCK rows, each drawn from its own random stream."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from atlas.data import formats, organizations, vocab
from atlas.data.demo.columns import Columns, choose, choose_flat, fixed4, id_column, take, texts_by_key
from atlas.data.demo.dates import FIRST_DAY, start_calendar
from atlas.data.demo.model import model
from atlas.data.demo.weights import (
    COMPONENT_CODES,
    COMPONENT_NAMES,
    MISSION_CODES,
    MISSION_LABELS,
    ONE_DAY_NO_END_SHARE,
    PARTICIPANTS,
    SENSITIVITY_CODES,
    TYPE_CODES,
)
from atlas.data.demo.wording import CANCELLED_NOTE, SUMMARY_PARTS, TITLE_PHRASES, TOPICS

ENGAGEMENT_BLOCK = 500_000  # rows per generation block; part of the output's definition: do not change lightly
ALIAS_SHARE = 0.03  # rows whose country is a name instead of an iso3 code
NO_COORDS_SHARE = 0.05  # rows with empty latitude/longitude (half of them also without a city)
NO_PARTICIPANTS_SHARE = 0.02
JITTER_DEG = 0.03  # city coordinates are moved by at most this much
# Multilateral engagements: a North American trilateral (CAN with MEX) for a share of the rows with either, the
# Five Country Ministerial for a share of those with its members, EU dialogues with EU members, and ICAO / WCO
# meetings among aviation / cargo engagements.
TRILATERAL_SHARE = 0.12
FCM_SHARE = 0.04
EU_SHARE = 0.06
AGENCY_SHARE = 0.05
FCM_PARTNERS = ("GBR", "CAN", "AUS", "NZL")
ORG_CHOICES = ("", "EU", "ICAO", "WCO", "FCM")
LEVEL_CHOICES = ("", "principal", "senior", "working")
LEVEL_P = (0.25, 0.03, 0.22, 0.50)


def _engagement_block(block: int, first: int, count: int, total: int, seed: int, today: date) -> Columns:
    """Rows first .. first + count - 1 (0-based) of a run of `total` engagements."""
    m = model()
    rng = np.random.Generator(np.random.PCG64([seed, 1, block]))
    cdf, dates, today_idx = start_calendar(today)
    n_types, n_missions = len(TYPE_CODES), len(MISSION_CODES)
    n_countries, n_cities = len(m.iso3), len(m.city_names)
    empty_date = len(dates) - 1

    # Stratified start days: row i sits in quantile slot (i + u) / total, so the whole run is in date order.
    u = (np.arange(first, first + count, dtype=np.float64) + rng.random(count)) / total
    start = np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)

    country = np.minimum(np.searchsorted(m.country_cdf, rng.random(count), side="right"), n_countries - 1)
    mission = choose(m.mission_cum, country, rng.random(count))
    etype = choose(m.type_cum, country * n_missions + mission, rng.random(count))
    component = choose(m.component_cum, mission, rng.random(count))
    sensitivity = choose(m.sensitivity_cum, mission, rng.random(count))
    city = choose_flat(m.city_flat, country, rng.random(count))
    duration = choose(m.duration_cum, etype, rng.random(count))

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
    alias = choose_flat(m.alias_flat, country, rng.random(count))
    country_code = np.where(use_alias, n_countries + alias, country)

    title_variant = rng.integers(0, 3, count)
    topic = rng.integers(0, 3, count)

    # Partners beyond the one country (drawn last, so the columns above are what they always were).
    where = {iso: i for i, iso in enumerate(m.iso3)}
    eu = [where[c] for c in next(o for o in organizations.load_organizations() if o["code"] == "EU")["members"]]
    north_america = np.isin(country, [where["CAN"], where["MEX"]])
    five = np.isin(country, [where[c] for c in FCM_PARTNERS])
    draw = rng.random(count)
    partners = np.where(north_america & (draw < TRILATERAL_SHARE), 1, 0)  # 1: with CAN or MEX, 2: the FCM
    partners = np.where(five & (partners == 0) & (rng.random(count) < FCM_SHARE), 2, partners)
    org = np.where(partners == 2, 4, 0)
    org = np.where(np.isin(country, eu) & (rng.random(count) < EU_SHARE), 1, org)
    agency = (org == 0) & (rng.random(count) < AGENCY_SHARE)
    org = np.where(agency & (mission == MISSION_CODES.index("aviation")), 2, org)
    org = np.where(agency & (mission == MISSION_CODES.index("cargo")), 3, org)
    level = np.minimum(np.searchsorted(np.cumsum(LEVEL_P), rng.random(count), side="right"), len(LEVEL_P) - 1)
    level = np.where(partners == 2, 1, level)  # ministers meet ministers

    def partner_text(key: int) -> str:
        key, kind = divmod(key, 3)
        code, ci = divmod(key, n_countries)
        text, iso = (m.iso3 + m.alias_names)[code], m.iso3[ci]
        if kind == 1:
            return text + ";" + ("MEX" if iso == "CAN" else "CAN")
        if kind == 2:
            return text + ";" + ";".join(c for c in FCM_PARTNERS if c != iso)
        return text

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
        text = (
            subject.format(comp=name, a="An" if name[0] in "AEIO" else "A")
            + " "
            + verbs[te]
            + " "
            + rest.format(country=m.texts[ci], topic=TOPICS[MISSION_CODES[mi]][top])
        )
        return text + CANCELLED_NOTE if te == 2 else text

    title_key = ((mission * n_types + etype) * 3 + title_variant) * (n_cities + n_countries) + place
    summary_key = (
        (((etype * n_missions + mission) * 3 + tense) * 3 + topic) * len(COMPONENT_CODES) + component
    ) * n_countries + country

    empty = pa.nulls(count, pa.string()).fill_null("")
    lat_text = pc.if_else(pa.array(no_coords), empty, fixed4(lat))
    lon_text = pc.if_else(pa.array(no_coords), empty, fixed4(lon))
    columns = {
        "engagement_id": id_column("DEMO-E", first + 1, count, 7),
        "title": texts_by_key(title_key, title),
        "start_date": take(dates, start),
        "end_date": take(dates, end),
        "country": texts_by_key((country_code * n_countries + country) * 3 + partners, partner_text),
        "city": take(m.city_names + ("",), np.where(no_city, n_cities, city)),
        "latitude": lat_text,
        "longitude": lon_text,
        "mission_area": take(MISSION_CODES, mission),
        "engagement_type": take(TYPE_CODES, etype),
        "component": take(COMPONENT_CODES, component),
        "status": take(tuple(code for code, _ in vocab.ENGAGEMENT_STATUSES), status),
        "participants": take(tuple(str(i) for i in range(401)) + ("",), participants),
        "summary": texts_by_key(summary_key, summary),
        "sensitivity": take(SENSITIVITY_CODES, sensitivity),
        "demo": take(("true",), np.zeros(count, dtype=np.int64)),
        "organizations": take(ORG_CHOICES, org),
        "level": take(LEVEL_CHOICES, level),
    }
    assert tuple(columns) == formats.ENGAGEMENTS.columns
    return columns


def engagement_blocks(total: int, seed: int, today: date) -> Iterator[Columns]:
    for block, first in enumerate(range(0, total, ENGAGEMENT_BLOCK)):
        yield _engagement_block(block, first, min(ENGAGEMENT_BLOCK, total - first), total, seed, today)
