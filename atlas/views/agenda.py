"""The agenda of planned engagements, week by week: rows, weekly counts and their chart. No streamlit here.

`agenda_rows` is what the Upcoming page lists and what a briefing slide can use:

    rows = agenda_rows(run("upcoming_engagements", f, horizon=f.today + dt.timedelta(days=30), limit=200),
                       f.today, 30)
    bullets = [f"{r.week}: {r.title} ({r.country})" for r in rows.head(5).itertuples()]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from atlas.data import vocab
from atlas.views import figures

WINDOWS = (7, 30, 90)  # the agenda's choices, in days from today
DEFAULT_WINDOW = 30
MAX_ROWS = 2000  # exported (read on the download's click); the weekly counts are exact whatever the number
LISTED_ROWS = 600  # read and drawn in the week tables (what a rerun sends stays under 300 KB)
PROFILE_PAGE = "Country_Profile"


def week_start(day: object) -> dt.date:
    """The Monday of the week `day` falls in."""
    date = pd.Timestamp(day).date()
    return date - dt.timedelta(days=date.weekday())


def week_label(monday: object) -> str:
    """'Week of 7 Dec 2026'."""
    day = pd.Timestamp(monday).date()
    return f"Week of {day.day} {day:%b %Y}"


def profile_link(iso3: str, name: str) -> str:
    """A relative link to the country's profile; the name rides in the fragment so a link column can show it
    (the app reads only ?iso=)."""
    return f"{PROFILE_PAGE}?iso={iso3}#{name}"


def _labels(values: pd.Series, label) -> list:
    """label(v) for each value, computed once per distinct value."""
    found = {v: label(v) for v in set(values.tolist())}
    return [found[v] for v in values.tolist()]


def agenda_rows(frame: pd.DataFrame, today: dt.date, days: int) -> pd.DataFrame:
    """Planned engagements starting after `today` and at most `days` later, soonest first, with their week
    (week_start, week), labels in words (area, type) and a link to the country's profile (profile).

    `frame` has the columns of queries/upcoming_engagements.sql (any wider window is narrowed here).
    """
    start = pd.to_datetime(frame["start_date"])
    keep = (
        (frame["status"] == "planned")
        & (start > pd.Timestamp(today))
        & (start <= pd.Timestamp(today + dt.timedelta(days=days)))
    )
    rows = frame[keep].copy()
    # Labels looked up once per distinct value, not per row (a 600-row agenda took ~11 ms row by row)
    day = start[keep]
    rows["start_date"] = day.dt.date
    rows["week_start"] = (day - pd.to_timedelta(day.dt.weekday, unit="D")).dt.date
    rows["week"] = _labels(rows["week_start"], week_label)
    rows["area"] = _labels(rows["mission_area"], vocab.mission_area_label)
    rows["type"] = _labels(
        rows["engagement_type"], lambda c: vocab.label_of(vocab.ENGAGEMENT_TYPES, c) if isinstance(c, str) else ""
    )
    rows["profile"] = [profile_link(i, n) for i, n in zip(rows["iso3"].tolist(), rows["country"].tolist())]
    return rows.sort_values(["start_date", "title", "engagement_id"], kind="stable").reset_index(drop=True)


EXPORT_COLUMNS = [
    "week",
    "start_date",
    "end_date",
    "title",
    "country",
    "iso3",
    "city",
    "area",
    "component",
    "type",
    "participants",
    "engagement_id",
]


def export_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The agenda's download from agenda_rows: its columns in the import's names, and demo when any row is."""
    out = rows[EXPORT_COLUMNS].rename(columns={"area": "mission_area", "type": "engagement_type"})
    if rows.is_demo.any():
        out["demo"] = rows.is_demo.map({True: "demo", False: ""})
    return out


def week_totals(weekly: pd.DataFrame) -> pd.DataFrame:
    """One row per week (week_start, week, engagements, countries, demo) from queries/upcoming_by_week.sql:
    engagements counts each once (however many partner countries), countries the partner countries."""
    if weekly.empty:
        return pd.DataFrame({"week_start": [], "week": [], "engagements": [], "countries": [], "demo": []})
    # Grouped by the timestamps as they come (grouping by Python dates took ~10 ms for 2,600 rows)
    by_week = weekly.groupby(pd.to_datetime(weekly["week_start"]), sort=True)
    totals = pd.DataFrame(
        {"engagements": by_week["once"].sum(), "countries": by_week["iso3"].nunique(), "demo": by_week["demo"].sum()}
    )
    days = [d.date() for d in totals.index]
    totals = totals.reset_index(drop=True)
    totals.insert(0, "week_start", days)
    totals.insert(1, "week", [week_label(d) for d in days])
    return totals.astype({"engagements": int, "countries": int, "demo": int})


def weekly_figure(weekly: pd.DataFrame, *, height: int = 300) -> go.Figure:
    """Planned engagements per week, stacked by mission area (weeks labelled by their Monday), each once."""
    frame = weekly.assign(week_start=pd.to_datetime(weekly["week_start"]).dt.date, engagements=weekly["once"])
    frame = frame.groupby(["week_start", "mission_area"], as_index=False)["engagements"].sum()
    order = sorted(frame["week_start"].unique())
    labels = [f"{d.day} {d:%b}" for d in order]
    traces = figures._area_bars(frame, "week_start", "engagements", order, labels, horizontal=False)
    for trace in traces:
        trace["hovertemplate"] = "Week of %{x}<br>" + trace["name"] + ": %{y:,}<extra></extra>"
    layout: dict[str, Any] = {
        "barmode": "stack",
        "yaxis": {"title": {"text": "Planned engagements"}},
        "xaxis": {"title": {"text": "Week of (Monday)"}, "type": "category"},
    }
    if len(frame) and frame.groupby("week_start")["engagements"].sum().max() <= 5:
        layout["yaxis"]["dtick"] = 1
    return figures._figure(traces, layout, height=height)
