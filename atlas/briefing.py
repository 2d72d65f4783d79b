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

from atlas import figures, vocab
from atlas.filters import Filters

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
    slides: list[Slide]
    filters_text: str
    as_of: str
    demo: bool

    def footer(self, slide: Slide) -> str:
        parts = [f"Filters: {self.filters_text}", f"Data as of {self.as_of}", f"Sources: {slide.sources}"]
        if self.demo:
            parts.append("DEMO DATA – generated records, not real activity")
        return "  ·  ".join(parts)


def _delta(current: float, previous: float) -> str | None:
    if previous is None or pd.isna(previous):
        return None
    change = current - previous
    if not change:
        return "no change vs previous period"
    if previous == 0:
        return f"{change:+,.0f} vs previous period"
    return f"{change:+,.0f} ({change / previous:+.0%}) vs previous period"


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
                      colorbar=dict(tickfont=dict(size=20, color=FOREGROUND), title=dict(font=dict(size=20))))
    fig.update_traces(selector=dict(type="scattergeo"), marker_colorscale=PROJECTOR_SCALE)
    return fig


def build_slides(run: Runner, f: Filters, *, since: dt.date, as_of: str) -> Deck:
    """Headline numbers, map, top partners, one slide per chosen mission area (or the mix),
    agreements pipeline and renewals, and what changed since `since`."""
    kpi = run("kpi_engagements", f).iloc[0]
    agr = run("kpi_agreements", f).iloc[0]
    slides = [Slide("headline", "Partner activity at a glance", numbers=[
        Number("Engagements", f"{int(kpi.engagements):,}", _delta(kpi.engagements, kpi.prev_engagements)),
        Number("Partner countries", f"{int(kpi.countries or 0):,}", _delta(kpi.countries or 0, kpi.prev_countries or 0)),
        Number("Agreements in force", f"{int(agr.in_force):,}", _delta(agr.in_force, agr.prev_in_force)),
        Number("In negotiation", f"{int(agr.negotiation):,}"),
        Number("Expiring in 12 months", f"{int(agr.expiring_12m):,}"),
    ], note="Cancelled engagements are not counted. Changes compare with the previous period of equal length.")]

    countries = run("country_activity", f)
    by_area = run("country_area_activity", f)
    active = countries[countries.engagements > 0]
    slides.append(Slide(
        "map", "Where we are active", figure=figures.world_choropleth(countries) if len(active) else None,
        bullets=[] if len(active) else ["No engagements for these filters."],
        sources="Engagement records; boundaries: Natural Earth (public domain)",
        note=f"{len(active)} partner countries engaged; brighter means more engagements; dots mark small states."))
    top = active.head(8)
    slides.append(Slide(
        "partners", "Top partner countries",
        figure=figures.top_partners(by_area, n=10) if len(by_area) else None,
        bullets=[f"{r.name}: {int(r.engagements):,} engagements ({_delta(r.engagements, r.prev_engagements) or 'new'})"
                 for r in top.head(3).itertuples()]))

    monthly = run("monthly_activity", f)
    if f.mission_areas:
        for code in f.mission_areas:
            area = vocab.MISSION_AREA_BY_CODE[code]
            part = monthly[monthly.mission_area == code]
            leaders = by_area[by_area.mission_area == code].head(5)
            slides.append(Slide(
                f"area_{code}", area.label,
                figure=figures.area_trend_lines(part) if len(part) else None,
                bullets=[f"{r.name}: {int(r.engagements):,}" for r in leaders.itertuples()]
                or ["No engagements in this mission area for these filters."],
                note=f"{int(part.engagements.sum()):,} engagements in the period. {area.description}"))
    else:
        slides.append(Slide("areas", "Mission-area mix over time",
                            figure=figures.area_mix_over_time(monthly) if len(monthly) else None,
                            bullets=[] if len(monthly) else ["No engagements for these filters."]))

    pipeline = run("agreement_pipeline", f)
    renewals = run("renewals_due", f, horizon=f.today + dt.timedelta(days=365))
    slides.append(Slide(
        "agreements", "Agreements pipeline and renewals due",
        figure=figures.pipeline(pipeline) if len(pipeline) else None,
        bullets=[f"{r.title} – expires {pd.Timestamp(r.date_expires):%d %b %Y} ({int(r.days_left)} days)"
                 for r in renewals.head(5).itertuples()] or ["No renewals due in the next 12 months."],
        sources="Agreement records and their status history",
        note=f"{len(renewals)} agreement(s) in force expire within 12 months."))

    slides.append(what_changed_slide(run, f, since))
    return Deck(slides=slides, filters_text=f.describe(), as_of=as_of, demo=_has_demo(run, f))


@dataclass
class Changes:
    since: dt.date
    new_engagements: pd.DataFrame
    status_changes: pd.DataFrame
    new_countries: pd.DataFrame
    expiring: pd.DataFrame


def what_changed(run: Runner, f: Filters, since: dt.date, *, limit: int = 200) -> Changes:
    """New engagements, agreement status changes, newly engaged countries and agreements expiring
    soon, all since `since` (computed from the records and the status history)."""
    since = min(since, f.today)
    return Changes(
        since=since,
        new_engagements=run("new_engagements_since", f, since=since, limit=limit),
        status_changes=run("status_changes", f, since=since, limit=limit),
        new_countries=run("newly_engaged_countries", f, since=since, lookback_start=since - dt.timedelta(days=365)),
        expiring=run("renewals_due", f, horizon=f.today + dt.timedelta(days=EXPIRING_SOON_DAYS)),
    )


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
