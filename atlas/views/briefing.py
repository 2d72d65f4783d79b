"""Briefing slides built from the current filters: the same list drives the screen and the export.

No streamlit here: `build_slides` takes a query runner `run(name, filters, **extra) -> DataFrame`
(ui.query in the app, Database.query in the export and tests).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from atlas.views import figures, worldmap
from atlas.views.format import delta_text
from atlas.data import vocab
from atlas.data.filters import Filters

Runner = Callable[..., pd.DataFrame]
EXPIRING_SOON_DAYS = 90
# Projector theme: light text on a deep navy, large type.
BACKGROUND = "#0b1630"
FOREGROUND = "#f4f6fb"
MUTED = "#b8c2d6"
ACCENT = "#F0E442"
PROJECTOR_SCALE = [[0.0, "#1f3b6f"], [0.08, "#2f6db5"], [0.3, "#56B4E9"], [1.0, "#F0E442"]]


@dataclass
class Number:
    label: str
    value: str
    delta: str | None = None


@dataclass
class Slide:
    key: str
    title: str
    numbers: list[Number] = field(default_factory=list)
    figure: go.Figure | None = None
    bullets: list[str] = field(default_factory=list)
    sources: str = "Engagement and agreement records (import log)"
    note: str | None = None


@dataclass
class Deck:
    """The slides in order; each is built when first shown, so a filter change costs one slide's queries."""
    builders: list[Callable[[], Slide]]
    filters_text: str
    as_of: str
    demo: bool
    _built: dict[int, Slide] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.builders)

    def slide(self, index: int) -> Slide:
        if index not in self._built:
            self._built[index] = self.builders[index]()
        return self._built[index]

    @property
    def slides(self) -> list[Slide]:
        return [self.slide(i) for i in range(len(self))]

    def footer(self, slide: Slide) -> str:
        parts = [f"Filters: {self.filters_text}", f"Data as of {self.as_of}", f"Sources: {slide.sources}"]
        if self.demo:
            parts.append("DEMO DATA – generated records, not real activity")
        return "  ·  ".join(parts)


def _versus(current: float, previous: float) -> str | None:
    return delta_text(current, previous, suffix=" vs previous period")


def style(fig: go.Figure, *, height: int = 700) -> go.Figure:
    """Large type and projector colours for a figure shown on the wall or exported."""
    fig.update_layout(
        paper_bgcolor=BACKGROUND, plot_bgcolor=BACKGROUND, height=height, title=None,
        font=dict(size=24, color=FOREGROUND, family=figures.FONT), margin=dict(l=20, r=20, t=20, b=20),
        legend=dict(font=dict(size=22), orientation="h", y=-0.16, yanchor="top", x=0),
        hoverlabel=dict(font_size=22),
    )
    fig.update_xaxes(gridcolor="#2a3a5e", zerolinecolor="#2a3a5e", title_font_size=22, tickfont_size=20)
    fig.update_yaxes(gridcolor="#2a3a5e", zerolinecolor="#2a3a5e", title_font_size=22, tickfont_size=20)
    fig.update_geos(bgcolor=BACKGROUND, landcolor="#24324f", countrycolor="#4a5b80", showocean=False)
    # On a dark screen "more" must be brighter, not darker.
    fig.update_traces(selector=dict(type="choropleth"), marker_line_color=BACKGROUND, colorscale=PROJECTOR_SCALE,
                      colorbar=dict(tickfont=dict(size=20, color=FOREGROUND), title=dict(font=dict(size=20, color=FOREGROUND)),
                                    # large tick labels below their ticks, so the top one clears the title
                                    ticklabelposition="outside bottom"))
    fig.update_traces(selector=dict(type="scattergeo"), marker_colorscale=PROJECTOR_SCALE)
    return fig


def build_slides(run: Runner, f: Filters, *, since: dt.date, as_of: str) -> Deck:
    """Headline numbers, map, top partners, one slide per chosen mission area (or the mix),
    agreements pipeline and renewals, and what changed since `since`."""
    builders: list[Callable[[], Slide]] = [lambda: _headline(run, f), lambda: _map(run, f), lambda: _partners(run, f)]
    if f.mission_areas:
        builders += [lambda code=code: _area(run, f, code) for code in f.mission_areas]
    else:
        builders.append(lambda: _mix(run, f))
    builders += [lambda: _agreements(run, f), lambda: what_changed_slide(run, f, since)]
    return Deck(builders=builders, filters_text=f.describe(), as_of=as_of, demo=_has_demo(run, f))


def _headline(run: Runner, f: Filters) -> Slide:
    kpi = run("kpi_engagements", f).iloc[0]
    agr = run("kpi_agreements", f).iloc[0]
    return Slide("headline", "Partner activity at a glance", numbers=[
        Number("Engagements", f"{int(kpi.engagements):,}", _versus(kpi.engagements, kpi.prev_engagements)),
        Number("Partner countries", f"{int(kpi.countries or 0):,}", _versus(kpi.countries or 0, kpi.prev_countries or 0)),
        Number("Agreements in force", f"{int(agr.in_force):,}", _versus(agr.in_force, agr.prev_in_force)),
        Number("In negotiation", f"{int(agr.negotiation):,}"),
        Number("Expiring in 12 months", f"{int(agr.expiring_12m):,}"),
    ], note="Cancelled engagements are not counted. Changes compare with the previous period of equal length.")


def _map(run: Runner, f: Filters) -> Slide:
    countries = run("country_activity", f)
    active = countries[countries.engagements > 0]
    return Slide(
        "map", "Where we are active", figure=worldmap.world_choropleth(countries) if len(active) else None,
        bullets=[] if len(active) else ["No engagements for these filters."],
        sources="Engagement records; boundaries: Natural Earth (public domain)",
        note=f"{len(active)} partner countries engaged; brighter means more engagements; dots mark small states.")


def _partners(run: Runner, f: Filters) -> Slide:
    countries = run("country_activity", f)
    by_area = run("country_area_activity", f)
    top = countries[countries.engagements > 0].head(3)
    return Slide(
        "partners", "Top partner countries",
        figure=figures.top_partners(by_area, n=10) if len(by_area) else None,
        bullets=[f"{r.name}: {int(r.engagements):,} engagements ({_versus(r.engagements, r.prev_engagements) or 'new'})"
                 for r in top.itertuples()])


def _area(run: Runner, f: Filters, code: str) -> Slide:
    area = vocab.MISSION_AREA_BY_CODE[code]
    monthly = run("monthly_activity", f)
    part = monthly[monthly.mission_area == code]
    by_area = run("country_area_activity", f)
    leaders = by_area[by_area.mission_area == code].head(5)
    return Slide(
        f"area_{code}", area.label,
        figure=figures.area_trend_lines(part) if len(part) else None,
        bullets=[f"{r.name}: {int(r.engagements):,}" for r in leaders.itertuples()]
        or ["No engagements in this mission area for these filters."],
        note=f"{int(part.engagements.sum()):,} engagements in the period. {area.description}")


def _mix(run: Runner, f: Filters) -> Slide:
    monthly = run("monthly_activity", f)
    return Slide("areas", "Mission-area mix over time",
                 figure=figures.area_mix_over_time(monthly) if len(monthly) else None,
                 bullets=[] if len(monthly) else ["No engagements for these filters."])


def _agreements(run: Runner, f: Filters) -> Slide:
    pipeline = run("agreement_pipeline", f)
    renewals = run("renewals_due", f, horizon=f.today + dt.timedelta(days=365))
    return Slide(
        "agreements", "Agreements pipeline and renewals due",
        figure=figures.pipeline(pipeline) if len(pipeline) else None,
        bullets=[f"{r.title} – expires {pd.Timestamp(r.date_expires):%d %b %Y} ({int(r.days_left)} days)"
                 for r in renewals.head(5).itertuples()] or ["No renewals due in the next 12 months."],
        sources="Agreement records and their status history",
        note=f"{len(renewals)} agreement(s) in force expire within 12 months.")


@dataclass
class Changes:
    since: dt.date
    new_engagements: pd.DataFrame
    status_changes: pd.DataFrame
    new_countries: pd.DataFrame
    expiring: pd.DataFrame


def what_changed_jobs(f: Filters, since: dt.date, *, limit: int = 200) -> list[tuple[str, dict]]:
    """The queries behind 'what changed since', with their parameters (a page may run them ahead)."""
    since = min(since, f.today)
    return [("new_engagements_since", {"since": since, "limit": limit}),
            ("status_changes", {"since": since, "limit": limit}),
            ("newly_engaged_countries", {"since": since, "lookback_start": since - dt.timedelta(days=365)}),
            ("renewals_due", {"horizon": f.today + dt.timedelta(days=EXPIRING_SOON_DAYS)})]


def what_changed(run: Runner, f: Filters, since: dt.date, *, limit: int = 200) -> Changes:
    """New engagements, agreement status changes, newly engaged countries and agreements expiring
    soon, all since `since` (computed from the records and the status history)."""
    frames = [run(name, f, **extra) for name, extra in what_changed_jobs(f, since, limit=limit)]
    return Changes(min(since, f.today), *frames)


def what_changed_slide(run: Runner, f: Filters, since: dt.date) -> Slide:
    c = what_changed(run, f, since)
    bullets = [f"{pd.Timestamp(r.changed_on):%d %b}: {r.title} – "
               f"{vocab.label_of(vocab.AGREEMENT_STATUSES, r.previous_status) if isinstance(r.previous_status, str) else 'new'}"
               f" → {vocab.label_of(vocab.AGREEMENT_STATUSES, r.status)}" for r in c.status_changes.head(3).itertuples()]
    bullets += [f"Newly engaged: {r.name} ({int(r.engagements)} engagement(s) since {pd.Timestamp(r.first_date):%d %b})"
                for r in c.new_countries.head(2).itertuples()]
    return Slide(
        "changes", f"What changed since {c.since:%d %b %Y}",
        numbers=[Number("New engagements", f"{_total(c.new_engagements):,}"),
                 Number("Agreement status changes", f"{_total(c.status_changes):,}"),
                 Number("Newly engaged countries", f"{len(c.new_countries):,}"),
                 Number(f"Expiring within {EXPIRING_SOON_DAYS} days", f"{len(c.expiring):,}")],
        bullets=bullets or ["No agreement status changes or newly engaged countries in this window."],
        sources="Engagement records; agreement status history (recorded on import)")


def _total(frame: pd.DataFrame) -> int:
    """All matching rows, though the frame holds only the first few."""
    return int(frame["total"].iloc[0]) if len(frame) else 0


def _has_demo(run: Runner, f: Filters) -> bool:
    demo = run("demo_in_scope", f)
    return int(demo.demo_engagements[0]) + int(demo.demo_agreements[0]) > 0
