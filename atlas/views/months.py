"""Months the data covers only in part (the month to date, a period that starts or ends mid-month).

A trend that draws such a month as a whole one ends in a false drop: the builders mark it (hatched bars,
a dashed end, a note) and the downloads say which month is partial.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

PARTIAL_PATTERN = "/"  # hatched bars: a month drawn from part of its days
PARTIAL_OPACITY = 0.55


def partial_months(months, *, today: dt.date, period: tuple[dt.date, dt.date] | None = None) -> dict:
    """The months the data covers only in part, each with what to say about it: the month of today before its
    last day ('month to date, through 1 Dec'), and months cut by the period's ends. Months after today are
    planned activity, not partial."""
    day = pd.Timestamp(today)
    start, end = (pd.Timestamp(period[0]), pd.Timestamp(period[1])) if period else (None, None)
    notes = {}
    for month in sorted(set(_month_starts(months).unique())):
        last = month + pd.offsets.MonthEnd(0)
        if month > day:
            continue
        lo = month if start is None else max(month, start)
        hi = min(last, day) if end is None else min(last, day, end)
        if lo > hi:
            continue  # outside the period
        parts = []
        if hi < last:
            parts.append(f"month to date, through {hi.day} {hi:%b}" if hi == day else f"period ends {hi.day} {hi:%b}")
        if lo > month:
            parts.append(f"period starts {lo.day} {lo:%b}")
        if parts:
            notes[month] = "; ".join(parts)
    return notes


def mark_partial(
    monthly: pd.DataFrame, *, today: dt.date, period: tuple[dt.date, dt.date] | None = None
) -> pd.DataFrame:
    """The monthly frame with a `partial` column saying which months are partial and why ('' when whole),
    for downloads of the rows behind a trend."""
    notes = partial_months(monthly["month"], today=today, period=period)
    starts = _month_starts(monthly["month"])
    # Looked up once per distinct month: boxing every row's date as a Timestamp cost ~10 ms a rerun.
    return monthly.assign(partial=starts.map({m: notes.get(m, "") for m in starts.unique()}).tolist())


def _month_starts(months) -> pd.Series:
    """The first day of each value's month, as Timestamps (vectorised: a trend has a row per month and area)."""
    values = months if isinstance(months, pd.Series) else pd.Series(list(months), dtype=object)
    return pd.Series(pd.to_datetime(values)).dt.to_period("M").dt.start_time


def _partial_note(notes: dict) -> dict:
    """One line under the plot naming the partial months (the hatched bars or dashed ends)."""
    if not notes:
        return {}
    text = " · ".join(f"{m:%b %Y}: {n}" for m, n in notes.items())
    return {
        "annotations": [
            {
                "x": 1,
                "xref": "paper",
                "xanchor": "right",
                "y": 0,
                "yref": "paper",
                "yanchor": "top",
                "yshift": -24,
                "showarrow": False,
                "font": {"size": 12},
                "text": f"Partial month (hatched / dashed) — {html.escape(text)}",
            }
        ],
        "margin": {"b": 44},
    }


def _notes_of(monthly: pd.DataFrame, today, period) -> dict:
    return partial_months(monthly["month"], today=today, period=period) if today is not None and len(monthly) else {}


def _month_key(value) -> pd.Timestamp:
    return pd.Timestamp(value).to_period("M").start_time


def month_ticks(monthly: pd.DataFrame) -> dict:
    """Axis settings for a monthly x axis: with only a few months plotly would pick days, hours or even
    sub-second ticks between them; a tick per month, named by month, reads as what the points are."""
    months = monthly["month"].nunique() if len(monthly) and "month" in monthly else 0
    return {"dtick": "M1", "tickformat": "%b %Y"} if 0 < months <= 6 else {}


def today_line(today, colour: str, text: str, position: str = "left") -> dict:
    """A dotted vertical line at today, labelled above the plot."""
    day = pd.Timestamp(today).strftime("%Y-%m-%d")
    return {
        "shapes": [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": day,
                "x1": day,
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dot", "color": colour, "width": 1.5},
            }
        ],
        "annotations": [
            {
                "x": day,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "text": text,
                "showarrow": False,
                "xanchor": "right" if position == "left" else "center",
                "yanchor": "bottom",
                "font": {"color": colour},
            }
        ],
    }
