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

Modules: partners (countries, cities, aliases, programmes), weights and wording (how activity is shaped and
described), dates (the calendar), model (the sampling tables), columns (sampling and string columns),
engagements, agreements, files (generate and write).
"""

from __future__ import annotations

from atlas.data.demo.dates import DEFAULT_TODAY, FIRST_DAY, HORIZON_DAYS
from atlas.data.demo.engagements import ENGAGEMENT_BLOCK
from atlas.data.demo.files import generate, write
from atlas.data.demo.partners import (
    CITIES_CSV,
    EXTRA_ALIASES,
    MIDDLE_EAST,
    MULTILATERAL_GROUPS,
    PARTNER_WEIGHTS,
    Partner,
    country_aliases,
    load_cities,
    partners,
    programme_sets,
    region_of,
)
from atlas.data.demo.weights import (
    AGREEMENT_STATUS_WEIGHT,
    AGREEMENT_TYPE_WEIGHT,
    BASE_MISSION_WEIGHT,
    COMPONENT_BY_MISSION,
    EARLIEST_AGREEMENT,
)
from atlas.data.demo.wording import AGREEMENT_TYPE_TITLE, SUMMARY_PARTS, TITLE_PHRASES

__all__ = [
    "AGREEMENT_STATUS_WEIGHT",
    "AGREEMENT_TYPE_TITLE",
    "AGREEMENT_TYPE_WEIGHT",
    "BASE_MISSION_WEIGHT",
    "CITIES_CSV",
    "COMPONENT_BY_MISSION",
    "DEFAULT_TODAY",
    "EARLIEST_AGREEMENT",
    "ENGAGEMENT_BLOCK",
    "EXTRA_ALIASES",
    "FIRST_DAY",
    "HORIZON_DAYS",
    "MIDDLE_EAST",
    "MULTILATERAL_GROUPS",
    "PARTNER_WEIGHTS",
    "Partner",
    "SUMMARY_PARTS",
    "TITLE_PHRASES",
    "country_aliases",
    "generate",
    "load_cities",
    "partners",
    "programme_sets",
    "region_of",
    "write",
]
