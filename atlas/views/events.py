"""Events on the trend charts: what happened (an agreement signed, entered into force; a principal-level visit),
as a few legible markers in a strip above the bars, one per month and kind, with the events in the hover text.

Takes a frame of events with a `kind`: day, kind, title, partners (optional: mission_area). A new kind of event
(principal-level visits once engagements carry a level) is more rows with its kind, and an entry in KINDS.
"""

from __future__ import annotations

import html
from typing import NamedTuple

import pandas as pd

from atlas.views.format import shorten


class Kind(NamedTuple):
    label: str  # the legend entry
    symbol: str  # plotly marker symbol
    colour: str
    row: int  # its row in the strip, from the top


KINDS = {
    "signed": Kind("Agreement signed", "triangle-down", "#5b3f99", 0),
    "in_force": Kind("Agreement entered into force", "diamond", "#1f6f5c", 1),
    "principal_visit": Kind("Principal-level visit", "star", "#a3461f", 2),
}
LISTED = 3  # events named in one marker's hover text; the rest are counted (10M: 6 made a trend 475 KB)
TITLE_CHARS = 90  # a longer title is cut at a word with an ellipsis (the Agreements page has it whole)
STRIP = 0.16  # share of the plot's height above the data kept for the strip
QUARTERS_AFTER = 36  # a chart of more months marks its events per quarter: a month's marker would be a few pixels


def _esc(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def _hover(kind: Kind, when: str, days: list, titles: list, partners: list) -> str:
    """The hover text of one marker: the month's (or quarter's) events of one kind (sorted by day), the first LISTED
    named."""
    lines = [f"<b>{_esc(kind.label)}, {when}: {len(days):,}</b>"]
    for day, title, with_ in zip(days[:LISTED], titles[:LISTED], partners[:LISTED], strict=True):
        with_whom = f" ({_esc(with_)})" if _names_more(with_, title) else ""
        lines.append(
            f"{pd.Timestamp(day):%d %b}: {_esc(shorten(title if isinstance(title, str) else '', TITLE_CHARS))}{with_whom}"
        )
    if len(days) > LISTED:
        lines.append(f"… and {len(days) - LISTED:,} more")
    return "<br>".join(lines)


def _names_more(partners: object, title: object) -> bool:
    """Whether the partners ('Canada; Mexico') name anyone the title does not already ('... with Canada')."""
    if not isinstance(partners, str) or not partners:
        return False
    named = str(title or "")
    return any(p.strip() not in named for p in partners.split(";"))


def _by_month(part: pd.DataFrame, grain: str = "M") -> dict[pd.Timestamp, tuple[list, list, list]]:
    """The events of one kind grouped by month (grain "Q": by quarter) in order, each group's days, titles and
    partners in day order: one pass over plain lists, not a frame per month (a chart has hundreds of events)."""
    part = part.sort_values("day", kind="stable")
    days = pd.to_datetime(part["day"])
    months = days.dt.to_period(grain).dt.to_timestamp().tolist()
    titles = part["title"].tolist()
    partners = part["partners"].tolist() if "partners" in part else [None] * len(part)
    groups: dict[pd.Timestamp, tuple[list, list, list]] = {}
    for month, day, title, with_ in zip(months, days.tolist(), titles, partners, strict=True):
        g = groups.setdefault(month, ([], [], []))
        g[0].append(day)
        g[1].append(title)
        g[2].append(with_)
    return dict(sorted(groups.items()))


def kinds_in(events: pd.DataFrame | None) -> list[str]:
    """The kinds present, in KINDS order (unknown kinds are not drawn)."""
    if events is None or events.empty:
        return []
    present = set(events["kind"])
    return [k for k in KINDS if k in present]


def event_traces(
    events: pd.DataFrame | None, top: float, *, axes: dict | None = None, legend: bool = True, months: int = 0
) -> list[dict]:
    """One marker trace per kind: a marker per month with events of that kind, in a strip from `top` down (the
    y axis must reach top). Markers sit on the month's bar (x = first of the month). A chart of more than
    QUARTERS_AFTER `months` has a marker per quarter instead, on the quarter's middle month."""
    traces: list[dict] = []
    quarters = months > QUARTERS_AFTER
    for code in kinds_in(events):
        kind = KINDS[code]
        groups = _by_month(events[events["kind"] == code], "Q" if quarters else "M")  # type: ignore[index]
        if quarters:
            labels = [f"Q{m.quarter} {m.year}" for m in groups]
            xs = [m + pd.DateOffset(months=1) for m in groups]
        else:
            labels, xs = [f"{m:%b %Y}" for m in groups], list(groups)
        # The first row sits a marker's half-height below the top: a panel's title above it stays clear.
        y = round(top * (1 - STRIP * (0.35 + 0.27 * kind.row)), 1)
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": kind.label,
                "legendgroup": f"event_{code}",
                "showlegend": legend,
                "x": xs,
                "y": [y] * len(groups),
                "marker": {
                    "symbol": kind.symbol,
                    "size": 11,
                    "color": kind.colour,
                    "line": {"width": 1, "color": "#fff"},
                },
                "text": [_hover(kind, label, *g) for label, g in zip(labels, groups.values(), strict=True)],
                "hovertemplate": "%{text}<extra></extra>",
                "cliponaxis": False,
                "meta": "event",
                **(axes or {}),
            }
        )
    return traces


def headroom(top: float) -> float:
    """The y range's top that leaves the strip free above data reaching `top`."""
    return top / (1 - STRIP)


def over_bars(events: pd.DataFrame | None, monthly: pd.DataFrame, layout: dict) -> list[dict]:
    """The event traces for a chart of monthly bars (stacked: the month's total is its height), with the y range
    set in `layout` to leave the strip free."""
    if not kinds_in(events) or monthly.empty:
        return []
    top = headroom(float(monthly.groupby("month")["engagements"].sum().max()) * 1.05 or 1)
    layout.setdefault("yaxis", {})["range"] = [0, top]
    return event_traces(events, top, months=monthly["month"].nunique())


def on_panel(
    events: pd.DataFrame | None, area: str, top: float, axes: dict, drawn: list[dict], *, months: int = 0
) -> list[dict]:
    """The event traces of one mission area's panel (its own axes; a kind in the legend once, whatever panel) on a
    chart of `months` months."""
    if not kinds_in(events):
        return []
    seen = {t["name"] for t in drawn if t.get("meta") == "event" and t.get("showlegend")}
    mine = events[events["mission_area"] == area]  # type: ignore[index]
    return [{**t, "showlegend": t["name"] not in seen} for t in event_traces(mine, top, axes=axes, months=months)]
