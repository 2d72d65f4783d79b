"""Agreements: parties, mission areas, types and dates that agree with each agreement's status."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np

from atlas.data import formats, vocab
from atlas.data.demo.columns import Columns, choose, choose_flat, id_column, take
from atlas.data.demo.model import cumulative, flat_groups, model
from atlas.data.demo.partners import MULTILATERAL_GROUPS, partners
from atlas.data.demo.weights import (
    AGREEMENT_STATUS_CODES,
    AGREEMENT_STATUS_WEIGHT,
    AGREEMENT_TYPE_CODES,
    AGREEMENT_TYPE_WEIGHT,
    COMPONENT_CODES,
    COMPONENT_NAMES,
    EARLIEST_AGREEMENT,
    MISSION_CODES,
    SENSITIVITY_CODES,
)
from atlas.data.demo.wording import AGREEMENT_SUBJECTS, AGREEMENT_TYPE_TITLE


def _agreement_columns(total: int, seed: int, today: date) -> Columns:
    m = model()
    rng = np.random.Generator(np.random.PCG64([seed, 2]))
    n_countries = len(m.iso3)
    position = {code: i for i, code in enumerate(m.iso3)}
    groups = [g for g in MULTILATERAL_GROUPS if all(code in position for code in g)]

    # Parties: mostly one partner, some two, some a multilateral group.
    kind = choose(cumulative([[80, 10, 10]]), np.zeros(total, dtype=np.int64), rng.random(total))
    first_party = np.minimum(np.searchsorted(m.country_cdf, rng.random(total), side="right"), n_countries - 1)
    # A second partner comes from the first one's region (regions in partner order, weighted alike).
    regions = tuple(dict.fromkeys(p.region for p in partners()))
    region_of = np.array([regions.index(p.region) for p in partners()], dtype=np.int64)
    by_region = np.argsort(region_of, kind="stable")
    weights = np.array([p.weight for p in partners()])
    region_flat = flat_groups(region_of[by_region], weights[by_region], len(regions))
    second_party = by_region[choose_flat(region_flat, region_of[first_party], rng.random(total))]
    for _ in range(50):  # redraw second partners that repeat the first
        same = np.flatnonzero((kind == 1) & (second_party == first_party))
        if len(same) == 0:
            break
        second_party[same] = by_region[choose_flat(region_flat, region_of[first_party[same]], rng.random(len(same)))]
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
    lead = np.array([first_party[i] if kind[i] < 2 else position[parties[i][0]] for i in range(total)], dtype=np.int64)

    mission = choose(m.mission_cum, lead, rng.random(total))
    component = choose(m.component_cum, mission, rng.random(total))
    sensitivity = choose(m.sensitivity_cum, mission, rng.random(total))
    type_weights = np.array([[AGREEMENT_TYPE_WEIGHT[t] for t in AGREEMENT_TYPE_CODES]], dtype=np.float64)
    multi_weights = type_weights.copy()
    multi_weights[0, AGREEMENT_TYPE_CODES.index("joint_statement")] *= 4
    atype = choose(
        cumulative(np.vstack([type_weights, multi_weights])), (kind == 2).astype(np.int64), rng.random(total)
    )
    status = choose(
        cumulative([[AGREEMENT_STATUS_WEIGHT[s] for s in AGREEMENT_STATUS_CODES]]),
        np.zeros(total, dtype=np.int64),
        rng.random(total),
    )
    subject = rng.integers(0, 6, total)

    # Dates as day numbers relative to today; `none` = empty.
    term_years = np.array([2, 3, 5, 5, 10])[rng.integers(0, 5, total)]
    term = np.rint(term_years * 365.25).astype(np.int64)
    lag = rng.integers(0, 241, total)  # signature to entry into force
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
                in_force[i] = int(15 + r3[i] * 255)  # scheduled to enter into force
                if r3[i] < 0.5:
                    expires[i] = in_force[i] + term[i]
            continue
        if s == "in_force":
            if r1[i] < 0.35:  # open-ended
                in_force[i] = int(earliest + 90 + r2[i] * (-30 - earliest - 90))
            else:
                ahead = 1 + r2[i] * 729 if r3[i] < 0.3 else 731 + r2[i] * 2919  # 30% due within 24 months
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
        names = [m.texts[position[p]] for p in parties[i]]
        partner_text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        # Titled as real ones are: the partners by name (no codes), a long list shortened.
        short = partner_text if len(names) <= 2 else f"{names[0]}, {names[1]} and {len(names) - 2} more"
        titles.append(f"{kind_title} on {subj} with {short}")
        summaries.append(
            f"{kind_title} between the U.S. Department of Homeland Security and {partner_text} "
            f"on {vocab.mission_area_label(mission_code).lower()}; lead component "
            f"{COMPONENT_NAMES[COMPONENT_CODES[component[i]]]}."
        )

    rows = np.arange(total, dtype=np.int64)
    columns = {
        "agreement_id": id_column("DEMO-A", 1, total, 5),
        "title": take(titles, rows),
        "agreement_type": take(AGREEMENT_TYPE_CODES, atype),
        "countries": take([formats.COUNTRY_SEPARATOR.join(p) for p in parties], rows),
        "mission_area": take(MISSION_CODES, mission),
        "status": take(AGREEMENT_STATUS_CODES, status),
        "date_signed": take([iso(d) for d in signed], rows),
        "date_in_force": take([iso(d) for d in in_force], rows),
        "date_expires": take([iso(d) for d in expires], rows),
        "component": take(COMPONENT_CODES, component),
        "summary": take(summaries, rows),
        "sensitivity": take(SENSITIVITY_CODES, sensitivity),
        "demo": take(("true",), np.zeros(total, dtype=np.int64)),
        # Now and then an agreement with the EU itself (as the EU-US PNR agreement), beside its countries.
        "organizations": take(("", "EU"), (rows % 40 == 7) & np.isin(mission, [MISSION_CODES.index("visa")])),
    }
    assert tuple(columns) == formats.AGREEMENTS.columns
    return columns


def agreement_blocks(total: int, seed: int, today: date) -> Iterator[Columns]:
    """The agreements as one block (there are few enough)."""
    if total:
        yield _agreement_columns(total, seed, today)
