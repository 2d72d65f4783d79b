"""Briefing slides built from the current filters: the same list drives the screen and the files.

No streamlit here: `build_slides` takes a query runner `run(name, filters, **extra) -> DataFrame`
(ui.query in the app, Database.query in the export and tests) and the slide keys to show, in order:
headline, map, partners, areas (the mix), area:<code>, agreements, renewals, changes, country:<ISO3>.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from collections.abc import Callable, Iterable

import pandas as pd
import plotly.graph_objects as go

from atlas.data import countries as country_table
from atlas.data import vocab
from atlas.data.filters import Filters
from atlas.views import figures
from atlas.views.changes import (  # noqa: F401  (re-exported: the briefing's what-changed slide)
    EXPIRING_SOON_DAYS,
    what_changed,
    what_changed_jobs,
    what_changed_slide,
)
from atlas.views.format import delta_text
from atlas.views.projector import (  # noqa: F401  (re-exported: the projector look)
    ACCENT,
    AREA_COLOURS,
    BACKGROUND,
    CHART_TEXT,
    FOREGROUND,
    MUTED,
    contrast,
    lighten,
    map_picture,
    style,
    world_map,
)
from atlas.views.slide import Chart, Deck, Number, Slide, counted, display_title, month_label, partner_names

__all__ = [
    "AREA_COLOURS",
    "Chart",
    "Deck",
    "Number",
    "Slide",
    "build_slides",
    "contrast",
    "lighten",
    "default_keys",
    "parse_keys",
    "style",
    "what_changed",
    "what_changed_slide",
]

Runner = Callable[..., pd.DataFrame]
MAP_LABELS = 5  # the leading countries named on the map slide
SIMPLE_KEYS = ("headline", "map", "partners", "areas", "agreements", "renewals", "changes")
KEY_LABELS = {
    "headline": "Headline numbers",
    "map": "Map",
    "partners": "Top partners",
    "areas": "Mission-area mix",
    "agreements": "Agreements pipeline",
    "renewals": "Renewals due",
    "changes": "What changed",
}


def _versus(current: float, previous: float) -> str | None:
    return delta_text(current, previous)


# --- which slides -----------------------------------------------------------------------------------


def default_keys(f: Filters) -> list[str]:
    """The usual deck: one slide per chosen mission area, or the mix when none is chosen."""
    areas = [f"area:{code}" for code in f.mission_areas] or ["areas"]
    return ["headline", "map", "partners", *areas, "agreements", "renewals", "changes"]


def parse_keys(text: str | None, f: Filters) -> tuple[list[str], list[str]]:
    """The slide keys from a URL's `slides=` value, in its order, and notices for what was dropped."""
    if not text:
        return default_keys(f), []
    keys, dropped = [], []
    for raw in str(text).split(","):
        key = _canonical(raw.strip())
        if key and key not in keys:
            keys.append(key)
        elif raw.strip() and not key:
            dropped.append(raw.strip()[:30])
    notices = [f"Ignored unknown slide(s) in the link: {', '.join(dropped)}"] if dropped else []
    return keys or default_keys(f), notices


def _canonical(key: str) -> str | None:
    kind, _, arg = key.partition(":")
    kind = kind.lower()
    if kind in SIMPLE_KEYS and not arg:
        return kind
    if kind == "area" and arg.lower() in vocab.MISSION_AREA_BY_CODE:
        return f"area:{arg.lower()}"
    if kind == "country" and arg:
        iso = country_table.resolve(arg)
        return f"country:{iso}" if iso else None
    return None


def key_label(key: str) -> str:
    """The slide key in words, for the slide picker."""
    kind, _, arg = key.partition(":")
    if kind == "area":
        return f"Mission area: {vocab.mission_area_label(arg)}"
    if kind == "country":
        return f"Country: {country_table.name_of(arg)}"
    return KEY_LABELS.get(kind, key)


def build_slides(run: Runner, f: Filters, *, since: dt.date, as_of: str, keys: Iterable[str] | None = None) -> Deck:
    """The slides named by `keys` (default: headline, map, top partners, one slide per chosen mission area
    or the mix, agreements pipeline, renewals due, what changed since `since`), in that order."""
    keys = list(keys) if keys is not None else default_keys(f)
    return Deck(
        builders=[_builder(run, f, since, key) for key in keys],
        filters_text=f.describe(),
        filters_brief=f.describe(brief=True),
        as_of=as_of,
        demo=_has_demo(run, f),
        keys=keys,
    )


def _builder(run: Runner, f: Filters, since: dt.date, key: str) -> Callable[[], Slide]:
    kind, _, arg = key.partition(":")
    simple = {
        "headline": _headline,
        "map": _map,
        "partners": _partners,
        "areas": _mix,
        "agreements": _agreements,
        "renewals": _renewals,
    }
    if kind in simple:
        return lambda: simple[kind](run, f)
    if kind == "changes":
        return lambda: what_changed_slide(run, f, since)
    if kind == "area":
        return lambda: _area(run, f, arg)
    if kind == "country":
        return lambda: _country(run, f, arg)
    raise ValueError(f"unknown slide {key!r}")


# --- the slides -------------------------------------------------------------------------------------

ONCE = ("total", "agreement")  # how an agreement slide counts: each agreement once, however many partners


def _headline(run: Runner, f: Filters) -> Slide:
    kpi = run("kpi_engagements", f).iloc[0]
    agr = run("kpi_agreements", f).iloc[0]
    monthly = run("monthly_activity", f)
    return Slide(
        "headline",
        "Partner activity at a glance",
        numbers=[
            Number("Engagements", f"{int(kpi.engagements):,}", _versus(kpi.engagements, kpi.prev_engagements)),
            Number(
                "Partner countries",
                f"{int(kpi.countries or 0):,}",
                _versus(kpi.countries or 0, kpi.prev_countries or 0),
            ),
            Number("Agreements in force", f"{int(agr.in_force):,}", _versus(agr.in_force, agr.prev_in_force)),
            Number("In negotiation", f"{int(agr.negotiation):,}"),
            Number("Expiring in 12 months", f"{int(agr.expiring_12m):,}"),
        ],
        figure=_trend(figures.area_mix_over_time, monthly, f) if len(monthly) else None,
        chart=monthly_chart(monthly, f, "column") if len(monthly) else None,
        note=counted(
            "Cancelled engagements are not counted. Changes compare with the previous period of equal length.", "both"
        ),
    )


def _map(run: Runner, f: Filters) -> Slide:
    countries = run("country_activity", f)
    active = countries[countries.engagements > 0]
    leaders = active.sort_values("engagements", ascending=False).head(MAP_LABELS)
    figure = world_map(countries, leaders) if len(active) else None
    picture = map_picture(countries, leaders) if len(active) else None
    return Slide(
        "map",
        "Where we are active",
        figure=figure,
        map=picture,
        bullets=[] if len(active) else ["No engagements for these filters."],
        sources="Engagement records; boundaries: Natural Earth (public domain)",
        note=counted(
            f"{len(active)} partner countries engaged; brighter means more engagements; the {len(leaders)} busiest "
            "are named.",
            "per_country",
        ),
    )


def _partners(run: Runner, f: Filters) -> Slide:
    countries = run("country_activity", f)
    by_area = run("country_area_activity", f)
    top = countries[countries.engagements > 0].head(3)
    return Slide(
        "partners",
        "Top partner countries",
        figure=figures.top_partners(by_area, n=10) if len(by_area) else None,
        chart=_area_chart(by_area, "name", n=10) if len(by_area) else None,
        bullets=[
            f"{r.name}: {int(r.engagements):,} · {_versus(r.engagements, r.prev_engagements) or 'new'}"
            for r in top.itertuples()
        ],
        note=counted(None, "per_country"),
    )


def _area(run: Runner, f: Filters, code: str) -> Slide:
    area = vocab.MISSION_AREA_BY_CODE[code]
    scoped = dataclasses.replace(f, mission_areas=(code,))
    monthly = run("monthly_activity", scoped)
    part = monthly[monthly.mission_area == code]
    by_area = run("country_area_activity", scoped)
    leaders = by_area[by_area.mission_area == code].head(5)
    return Slide(
        f"area_{code}",
        area.label,
        figure=_trend(figures.area_trend_lines, part, f) if len(part) else None,
        chart=monthly_chart(part, f, "line") if len(part) else None,
        bullets=[f"{r.name}: {int(r.engagements):,}" for r in leaders.itertuples()]
        or ["No engagements in this mission area for these filters."],
        note=counted(f"{int(part.engagements.sum()):,} engagements in the period. {area.description}", "both"),
    )


def _mix(run: Runner, f: Filters) -> Slide:
    monthly = run("monthly_activity", f)
    return Slide(
        "areas",
        "Mission-area mix over time",
        figure=_trend(figures.area_mix_over_time, monthly, f) if len(monthly) else None,
        chart=monthly_chart(monthly, f, "column") if len(monthly) else None,
        bullets=[] if len(monthly) else ["No engagements for these filters."],
        note=counted(None, "total"),
    )


def _agreements(run: Runner, f: Filters) -> Slide:
    pipeline = run("agreement_pipeline", f)
    totals = pipeline.groupby("status")["agreements"].sum()
    statuses = [s for s, _ in vocab.AGREEMENT_STATUSES]
    return Slide(
        "agreements",
        "Agreements pipeline",
        figure=figures.pipeline(pipeline) if len(pipeline) else None,
        chart=_area_chart(
            pipeline,
            "status",
            order=statuses,
            value="agreements",
            kind="column",
            labels=[vocab.label_of(vocab.AGREEMENT_STATUSES, s) for s in statuses],
        )
        if len(pipeline)
        else None,
        bullets=[] if len(pipeline) else ["No agreements for these filters."],
        sources="Agreement records and their status history",
        note=counted(
            " · ".join(f"{vocab.label_of(vocab.AGREEMENT_STATUSES, s)}: {int(totals.get(s, 0)):,}" for s in statuses),
            *ONCE,
        ),
    )


def _renewals(run: Runner, f: Filters) -> Slide:
    renewals = run("renewals_due", f, horizon=f.today + dt.timedelta(days=365))
    soon = renewals[renewals.days_left <= EXPIRING_SOON_DAYS]
    return Slide(
        "renewals",
        "Renewals due in the next 12 months",
        numbers=[
            Number(f"Within {EXPIRING_SOON_DAYS} days", f"{len(soon):,}"),
            Number("Within 12 months", f"{len(renewals):,}"),
        ],
        bullets=[
            f"{pd.Timestamp(r.date_expires):%d %b %Y}: {display_title(r.title)}"
            + (f" – {partner_names(r.partners)}" if partner_names(r.partners) else "")
            for r in renewals.head(4).itertuples()
        ]
        or ["No renewals due in the next 12 months."],
        sources="Agreement records and their status history",
        note=counted(f"{len(renewals)} agreement(s) in force expire within 12 months; the soonest are listed.", *ONCE),
    )


def _country(run: Runner, f: Filters, iso3: str) -> Slide:
    scoped = dataclasses.replace(f, countries=(iso3,), regions=())
    p = run("country_profile", scoped, iso3=iso3).iloc[0]
    monthly = run("country_monthly_activity", scoped, iso3=iso3)
    monthly = monthly[monthly.engagements > 0]
    return Slide(
        f"country_{iso3}",
        str(p["name"]),
        numbers=[
            Number("Engagements", f"{int(p.engagements):,}", _versus(p.engagements, p.prev_engagements)),
            Number("Participants", f"{int(p.participants):,}"),
            Number("Agreements in force", f"{int(p.in_force or 0):,}"),
            Number("In negotiation", f"{int(p.negotiation or 0):,}"),
            Number("Programmes present", f"{_programmes(run, iso3):,}"),
        ],
        figure=_trend(figures.area_mix_over_time, monthly, f) if len(monthly) else None,
        chart=monthly_chart(monthly, f, "column") if len(monthly) else None,
        bullets=[] if len(monthly) else [f"No engagements with {p['name']} in the period."],
        sources="Engagement and agreement records; programme sources on the Country profile",
        note=counted(" · ".join(x for x in (p.region, p.subregion) if isinstance(x, str) and x) or None, "per_country"),
    )


# --- charts -----------------------------------------------------------------------------------------


def _trend(builder: Callable[..., go.Figure], monthly: pd.DataFrame, f: Filters) -> go.Figure:
    # The trend builders mark the month still running when they know today (as on the pages).
    wanted = {"today": f.today, "period": (f.start, f.end)}
    accepted = inspect.signature(builder).parameters
    return builder(monthly, **{k: v for k, v in wanted.items() if k in accepted})


def monthly_chart(monthly: pd.DataFrame, f: Filters, kind: str, colours: dict[str, str] = AREA_COLOURS) -> Chart:
    """Engagements per month by mission area; the running month is labelled '(to date)'."""
    # Every month of the period up to today, a quiet month included (a skipped month would hide a drop).
    seen = pd.to_datetime(monthly["month"])
    first = min(seen.min(), pd.Timestamp(f.start).to_period("M").to_timestamp())
    last = max(seen.max(), pd.Timestamp(min(f.end, f.today)).to_period("M").to_timestamp())
    months = list(pd.date_range(first, last, freq="MS"))
    table = (
        monthly.assign(month=pd.to_datetime(monthly["month"]))
        .pivot_table(index="month", columns="mission_area", values="engagements", aggfunc="sum")
        .reindex(months)
        .fillna(0)
    )
    codes = [m.code for m in vocab.MISSION_AREAS if m.code in table.columns]
    return Chart(
        kind,
        [month_label(m, f.today, f.start) for m in months],
        [(vocab.mission_area_label(c), [float(v) for v in table[c]]) for c in codes],
        [colours[c] for c in codes],
        "Engagements per month",
    )


def _area_chart(
    frame: pd.DataFrame,
    category: str,
    *,
    n: int | None = None,
    order: list | None = None,
    value: str = "engagements",
    kind: str = "bar",
    labels: list[str] | None = None,
) -> Chart:
    """Stacked by mission area: the top `n` categories by total (bars run bottom to top), or `order`."""
    if order is None:
        totals = frame.groupby(category)[value].sum().sort_values(ascending=False).head(n)
        order = list(totals.index[::-1])
    table = (
        frame.pivot_table(index=category, columns="mission_area", values=value, aggfunc="sum").reindex(order).fillna(0)
    )
    codes = [m.code for m in vocab.MISSION_AREAS if m.code in table.columns and table[m.code].sum() > 0]
    return Chart(
        kind,
        [str(x) for x in (labels or order)],
        [(vocab.mission_area_label(c), [float(v) for v in table[c]]) for c in codes],
        [AREA_COLOURS[c] for c in codes],
        "Engagements" if value == "engagements" else "Agreements",
    )


def _programmes(run: Runner, iso3: str) -> int:
    """Current programmes present (not their sites), as the Country profile counts them."""
    programmes = run("country_programs", iso3=iso3)
    return int(programmes[programmes.is_current].program.nunique())


def _has_demo(run: Runner, f: Filters) -> bool:
    demo = run("demo_in_scope", f)
    return int(demo.demo_engagements[0]) + int(demo.demo_agreements[0]) > 0
