"""The shared filters: one frozen value, its query parameters, and its URL form. No streamlit here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from atlas.data import countries, vocab

# Quick period choices, in the order the sidebar offers them.
PRESETS: dict[str, str] = {
    "12m": "Last 12 months",
    "fytd": "This fiscal year",
    "all": "All dates",
    "custom": "Custom range",
}
DEFAULT_PRESET = "12m"
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2035, 12, 31)
URL_LIST_SEPARATOR = ","


def fiscal_year_start(day: dt.date) -> dt.date:
    """US federal fiscal years start on 1 October: FY2027 runs 2026-10-01 to 2027-09-30."""
    return dt.date(day.year if day.month >= 10 else day.year - 1, 10, 1)


def preset_range(
    preset: str, today: dt.date, data_range: tuple[dt.date, dt.date] | None = None
) -> tuple[dt.date, dt.date]:
    if preset == "fytd":
        return fiscal_year_start(today), today
    if preset == "all":
        lo, hi = data_range or (EARLIEST, today)
        return lo, max(hi, today)
    return _one_year_before(today) + dt.timedelta(days=1), today


def _one_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Filters:
    """Everything that narrows what the pages show; hashable, so it can key a cache."""

    start: dt.date
    end: dt.date
    preset: str = DEFAULT_PRESET
    mission_areas: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    engagement_types: tuple[str, ...] = ()
    agreement_statuses: tuple[str, ...] = ()
    partnerships: tuple[str, ...] = ()  # vocab.PARTNERSHIPS codes: bilateral, multilateral, organization
    max_rank: int = vocab.SENSITIVITY_RANK[vocab.DEFAULT_SENSITIVITY]
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> tuple[dt.date, dt.date]:
        """The period of equal length just before this one."""
        return self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1)

    @property
    def as_of(self) -> dt.date:
        """The day point-in-time figures (agreements in force) are read for: period end, never the future."""
        return min(self.end, self.today)

    def country_scope(self) -> tuple[str, ...]:
        """ISO3 codes the filters admit; () means every country. Countries chosen win over regions."""
        if self.countries:
            return self.countries
        if self.regions:
            wanted = set(self.regions)
            return tuple(sorted(c["iso3"] for c in countries.load_countries() if c["region"] in wanted))
        return ()

    def params(self) -> dict:
        """Named parameters for queries/*.sql; each query binds the ones it uses."""
        prev_start, prev_end = self.previous
        prev_as_of = min(prev_end, self.today)
        return {
            "start": self.start,
            "end": self.end,
            "prev_start": prev_start,
            "prev_end": prev_end,
            "as_of": self.as_of,
            "prev_as_of": prev_as_of,
            "today": self.today,
            "areas": list(self.mission_areas),
            "countries": list(self.country_scope()),
            "components": list(self.components),
            "types": list(self.engagement_types),
            "statuses": list(self.agreement_statuses),
            "partnerships": list(self.partnerships),
            "max_rank": self.max_rank,
        }

    def describe(self, partners: str | None = None, *, brief: bool = False) -> str:
        """One line a briefing slide or an export can carry: what these numbers are filtered to. `partners` names
        the partners a page chose itself (Compare), in place of the country and region choices. `brief`: each
        choice of more than two shortened to its first two and how many more (the wall screen's corner line)."""

        def listed(names) -> str:
            names = list(names)
            if brief and len(names) > 2:
                return f"{', '.join(names[:2])} +{len(names) - 2} more"
            return ", ".join(names)

        parts = [f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"]
        if self.mission_areas:
            parts.append(listed(vocab.mission_area_label(a) for a in self.mission_areas))
        if partners:
            parts.append(partners)
        elif self.countries:
            parts.append(listed(countries.name_of(c) for c in self.countries))
        elif self.regions:
            parts.append(listed(self.regions))
        if self.components:
            parts.append(listed(self.components))
        if self.engagement_types:
            parts.append(listed(vocab.label_of(vocab.ENGAGEMENT_TYPES, t) for t in self.engagement_types))
        if self.agreement_statuses:
            parts.append(
                "agreements " + listed(vocab.label_of(vocab.AGREEMENT_STATUSES, s) for s in self.agreement_statuses)
            )
        if self.partnerships:
            parts.append(listed(vocab.label_of(vocab.PARTNERSHIPS, k) for k in self.partnerships))
        if len(parts) == 1:
            parts.append("all mission areas, all countries")
        return " · ".join(parts)


def default_filters(today: dt.date, max_rank: int | None = None) -> Filters:
    start, end = preset_range(DEFAULT_PRESET, today)
    rank = vocab.SENSITIVITY_RANK[vocab.DEFAULT_SENSITIVITY] if max_rank is None else max_rank
    return Filters(start=start, end=end, today=today, max_rank=rank)


# --- URL query string ----------------------------------------------------------------------------

URL_KEYS = {
    "mission_areas": "area",
    "regions": "region",
    "countries": "country",
    "components": "component",
    "engagement_types": "type",
    "agreement_statuses": "status",
    "partnerships": "partnership",
}


def allowed_values() -> dict[str, set[str]]:
    return {
        "mission_areas": {m.code for m in vocab.MISSION_AREAS},
        "regions": {c["region"] for c in countries.load_countries() if c["region"]},
        "countries": {c["iso3"] for c in countries.load_countries()},
        "components": {c for c, _ in vocab.COMPONENTS},
        "engagement_types": {c for c, _ in vocab.ENGAGEMENT_TYPES},
        "agreement_statuses": {c for c, _ in vocab.AGREEMENT_STATUSES},
        "partnerships": {c for c, _ in vocab.PARTNERSHIPS},
    }


def to_query(f: Filters, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The URL form of the filters; only what differs from a fresh session's defaults."""
    out: dict[str, str] = {}
    if f.preset == "custom":
        out["from"], out["to"] = f.start.isoformat(), f.end.isoformat()
    elif f.preset != DEFAULT_PRESET:
        out["period"] = f.preset
    for name, key in URL_KEYS.items():
        values = getattr(f, name)
        if values:
            out[key] = URL_LIST_SEPARATOR.join(values)
    out.update({k: v for k, v in (extra or {}).items() if v})
    return out


def _first(value) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def from_query(
    query: Mapping[str, object], base: Filters, data_range: tuple[dt.date, dt.date] | None = None
) -> tuple[Filters, list[str]]:
    """Filters from a URL's query values, starting from `base`; unknown or malformed values are
    dropped and described in the returned notices, never raised."""
    notices: list[str] = []
    changes: dict = {}
    allowed = allowed_values()
    for name, key in URL_KEYS.items():
        if key not in query:
            continue
        raw = [v.strip() for v in _first(query[key]).split(URL_LIST_SEPARATOR) if v.strip()]
        if name == "countries":
            resolved = [countries.resolve(v) for v in raw]
            good = [c for c in resolved if c]
            bad = [v for v, c in zip(raw, resolved) if not c]
        elif name == "mission_areas":
            resolved = [vocab.MISSION_AREA_LOOKUP.get(vocab.fold(v)) for v in raw]
            good = [c for c in resolved if c]
            bad = [v for v, c in zip(raw, resolved) if not c]
        else:
            good = [v for v in raw if v in allowed[name]]
            bad = [v for v in raw if v not in allowed[name]]
        if bad:
            notices.append(f"Ignored unknown {key} value(s) in the link: {', '.join(_short(b) for b in bad)}")
        changes[name] = tuple(dict.fromkeys(good))
    if "from" in query or "to" in query:
        start = _parse_day(query.get("from"), notices, "from")
        end = _parse_day(query.get("to"), notices, "to")
        start, end = start or base.start, end or base.end
        if start > end:
            notices.append("Ignored the link's period: its start is after its end")
        else:
            changes.update(start=start, end=end, preset="custom")
    elif "period" in query:
        preset = _first(query["period"])
        if preset in PRESETS and preset != "custom":
            start, end = preset_range(preset, base.today, data_range)
            changes.update(start=start, end=end, preset=preset)
        else:
            notices.append(f"Ignored unknown period in the link: {_short(preset)}")
    return replace(base, **changes), notices


def _parse_day(value, notices: list[str], key: str) -> dt.date | None:
    if value is None:
        return None
    text = _first(value)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        notices.append(f"Ignored malformed date in the link ({key}={_short(text)})")
        return None
    if not EARLIEST <= day <= LATEST:
        notices.append(f"Ignored out-of-range date in the link ({key}={text})")
        return None
    return day


def _short(text: str, limit: int = 40) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"
