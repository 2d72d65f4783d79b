"""Events on the trend charts: what happened (an agreement signed, entered into force; a principal-level visit),
as a few legible markers in a strip above the bars, one per month and kind, with the events in the hover text.

Takes a frame of events with a `kind`: day, kind, title, partners (optional: mission_area). A new kind of event
(principal-level visits once engagements carry a level) is more rows with its kind, and an entry in KINDS.
"""

from __future__ import annotations

import html
from typing import NamedTuple

import pandas as pd


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
LISTED = 6  # events named in one marker's hover text; the rest are counted
STRIP = 0.16  # share of the plot's height above the data kept for the strip


def _esc(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def _hover(kind: Kind, month: pd.Timestamp, part: pd.DataFrame) -> str:
    lines = [f"<b>{_esc(kind.label)}, {month:%b %Y}: {len(part):,}</b>"]
    for r in part.head(LISTED).itertuples():
        partners = getattr(r, "partners", None)
        with_whom = f" ({_esc(partners)})" if isinstance(partners, str) and partners else ""
        lines.append(f"{pd.Timestamp(r.day):%d %b}: {_esc(r.title)}{with_whom}")
    if len(part) > LISTED:
        lines.append(f"… and {len(part) - LISTED:,} more")
    return "<br>".join(lines)


def kinds_in(events: pd.DataFrame | None) -> list[str]:
    """The kinds present, in KINDS order (unknown kinds are not drawn)."""
    if events is None or events.empty:
        return []
    present = set(events["kind"])
    return [k for k in KINDS if k in present]


def event_traces(
    events: pd.DataFrame | None, top: float, *, axes: dict | None = None, legend: bool = True
) -> list[dict]:
    """One marker trace per kind: a marker per month with events of that kind, in a strip from `top` down (the
    y axis must reach top). Markers sit on the month's bar (x = first of the month)."""
    traces: list[dict] = []
    for code in kinds_in(events):
        kind = KINDS[code]
        part = events[events["kind"] == code].copy()  # type: ignore[index]
        part["month"] = pd.to_datetime(part["day"]).dt.to_period("M").dt.to_timestamp()
        groups = [(month, rows.sort_values("day")) for month, rows in part.groupby("month")]
        y = top * (1 - STRIP * (0.25 + 0.3 * kind.row))
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": kind.label,
                "legendgroup": f"event_{code}",
                "showlegend": legend,
                "x": [m for m, _ in groups],
                "y": [y] * len(groups),
                "marker": {
                    "symbol": kind.symbol,
                    "size": 11,
                    "color": kind.colour,
                    "line": {"width": 1, "color": "#fff"},
                },
                "text": [_hover(kind, m, rows) for m, rows in groups],
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
    return event_traces(events, top)


def on_panel(events: pd.DataFrame | None, area: str, top: float, axes: dict, drawn: list[dict]) -> list[dict]:
    """The event traces of one mission area's panel (its own axes; a kind in the legend once, whatever panel)."""
    if not kinds_in(events):
        return []
    seen = {t["name"] for t in drawn if t.get("meta") == "event" and t.get("showlegend")}
    mine = events[events["mission_area"] == area]  # type: ignore[index]
    return [{**t, "showlegend": t["name"] not in seen} for t in event_traces(mine, top, axes=axes)]
