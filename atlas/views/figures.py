"""DataFrame -> plotly figure. Plain builders: no streamlit, no queries.

Every text that came from the data is escaped before it reaches hover text: plotly renders a subset
of HTML there. Mission areas always wear the colours defined in vocab.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from atlas import config
from atlas.data import vocab
from atlas.views.events import headroom, on_panel, over_bars
from atlas.views.months import (  # noqa: F401  (partial_months, mark_partial and month_ticks are part of this module's API)
    PARTIAL_OPACITY,
    PARTIAL_PATTERN,
    _month_key,
    _notes_of,
    _partial_note,
    mark_partial,
    month_ticks,
    partial_months,
    today_line,
)

FONT = "Source Sans Pro, Arial, sans-serif"
_AREA_ORDER = [m.code for m in vocab.MISSION_AREAS]


def esc(value: object) -> str:
    """Escape data text for plotly hover labels and annotations: only <, > and & (plotly decodes &lt; &gt; &amp;
    but shows &quot; as typed, and a quote cannot open a tag once < is escaped)."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return html.escape(text, quote=False)


def _figure(
    traces: list[dict], layout: dict | None = None, *, title: str | None = None, height: int = 420, legend: bool = True
) -> go.Figure:
    """One figure from plain dicts, validated once when config.validate_figures() (the tests), never property by
    property: plotly's update_* calls cost far more per property."""
    base: dict[str, Any] = {
        "title": {"text": esc(title), "x": 0, "xanchor": "left"} if title else None,
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        "font": {"family": FONT},
        "showlegend": legend,
        # Above the plot: a fixed distance from the data whatever the chart's height.
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.01,
            "xanchor": "left",
            "x": 0,
            "title": {"text": ""},
        },
        "hoverlabel": {"font": {"size": 14}},
    }
    if base["title"] is None:
        del base["title"]
    for key, value in (layout or {}).items():
        base[key] = {**base[key], **value} if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return go.Figure({"data": traces, "layout": base}, _validate=config.validate_figures())


# --- bars and lines -------------------------------------------------------------------------------


def _area_bars(
    frame: pd.DataFrame, category: str, value: str, order: list, labels: list[str], *, horizontal: bool
) -> list[dict]:
    """One stacked bar trace per mission area (in vocabulary order), over the categories in `order`."""
    # One pass over plain lists: a boolean filter per area costs more than the figure (arrow-backed strings).
    sums: dict[str, dict] = {}
    for cat, code, n in zip(frame[category].tolist(), frame["mission_area"].tolist(), frame[value].tolist()):
        if n == n:  # not NaN
            by = sums.setdefault(code, {})
            by[cat] = by.get(cat, 0.0) + float(n)
    traces = []
    for code in _AREA_ORDER:
        by = sums.get(code, {})
        part = [by.get(cat, 0.0) for cat in order]
        if sum(part) == 0:
            continue
        label = vocab.mission_area_label(code)
        axis = "%{y}" if horizontal else "%{x}"
        traces.append(
            {
                "type": "bar",
                "name": label,
                "marker": {"color": vocab.MISSION_AREA_COLOURS[code]},
                "orientation": "h" if horizontal else "v",
                ("y" if horizontal else "x"): labels,
                ("x" if horizontal else "y"): part,
                "hovertemplate": f"{axis}<br>{esc(label)}: %{{{'x' if horizontal else 'y'}:,}}<extra></extra>",
            }
        )
    return traces


def top_partners(by_area: pd.DataFrame, *, n: int = 10, title: str | None = None, height: int = 420) -> go.Figure:
    """Horizontal bars of the busiest partner countries, stacked by mission area."""
    totals = by_area.groupby("name")["engagements"].sum().sort_values(ascending=False).head(n)
    order = list(totals.index[::-1])
    traces = _area_bars(
        by_area[by_area["name"].isin(order)], "name", "engagements", order, [esc(n) for n in order], horizontal=True
    )
    return _figure(
        traces,
        {"barmode": "stack", "xaxis": {"title": {"text": "Engagements"}}, "yaxis": {"automargin": True}},
        title=title,
        height=height,
    )


def clickable_partners(fig: go.Figure, by_area: pd.DataFrame) -> go.Figure:
    """top_partners' figure with every bar carrying its country's ISO3 as customdata, so a click opens it."""
    iso_of = dict(zip((esc(n) for n in by_area["name"]), by_area["iso3"]))
    for trace in fig.data:
        trace.customdata = [iso_of.get(label) for label in trace.y]
    return fig


# --- trends ---------------------------------------------------------------------------------------


def _bar_traces(monthly: pd.DataFrame, notes: dict) -> list[dict]:
    # The rows of each area in one pass (a boolean filter per area costs more than the figure); x and y stay
    # numpy arrays, serialised as before.
    month_values, counts_values = monthly["month"].to_numpy(), monthly["engagements"].to_numpy()
    rows: dict[str, list[int]] = {}
    for i, code in enumerate(monthly["mission_area"].tolist()):
        rows.setdefault(code, []).append(i)
    traces = []
    for code in _AREA_ORDER:
        if code not in rows:
            continue
        months, counts = month_values[rows[code]], counts_values[rows[code]]
        label, colour = vocab.mission_area_label(code), vocab.MISSION_AREA_COLOURS[code]
        flags = [_month_key(m) in notes for m in months]
        marker: dict = {"color": colour}
        if any(flags):
            marker["pattern"] = {"shape": [PARTIAL_PATTERN if f else "" for f in flags], "solidity": 0.45}
            marker["opacity"] = [PARTIAL_OPACITY if f else 1 for f in flags]
        traces.append(
            {
                "type": "bar",
                "x": months,
                "y": counts,
                "name": label,
                "marker": marker,
                "customdata": [f" ({notes[_month_key(m)]})" if f else "" for m, f in zip(months, flags)],
                "hovertemplate": "%{x|%b %Y}%{customdata}<br>" + esc(label) + ": %{y:,}<extra></extra>",
            }
        )
    return traces


def _line_traces(part: pd.DataFrame, code: str, notes: dict, axes: dict | None = None) -> list[dict]:
    """One mission area's line: solid over whole months, dashed into (and out of) a partial month, whose point
    is an open circle."""
    label, colour = vocab.mission_area_label(code), vocab.MISSION_AREA_COLOURS[code]
    months, counts = list(part["month"]), list(part["engagements"])
    flags = [_month_key(m) in notes for m in months]
    hover = "%{x|%b %Y}%{customdata}<br>" + esc(label) + ": %{y:,}<extra></extra>"
    solid = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": label,
        "legendgroup": code,
        "x": part["month"],
        "y": [None if f else n for n, f in zip(counts, flags)],
        "line": {"color": colour, "width": 3},
        "marker": {"size": 5},
        "customdata": [""] * len(months),
        "hovertemplate": hover,
        **(axes or {}),
    }
    if not any(flags):
        return [solid]
    xs, ys, sizes, custom = [], [], [], []
    for i, flag in enumerate(flags):
        if not flag:
            continue
        for j in (i - 1, i, i + 1):  # the segment from each whole neighbour into the partial month
            if 0 <= j < len(months) and (j == i or not flags[j]):
                xs.append(months[j])
                ys.append(counts[j])
                sizes.append(9 if j == i else 0)
                custom.append(f" ({notes[_month_key(months[j])]})" if j == i else "")
        xs.append(None)
        ys.append(None)
        sizes.append(0)
        custom.append("")
    dashed = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": f"{label} (partial month)",
        "legendgroup": code,
        "showlegend": False,
        "x": xs,
        "y": ys,
        "connectgaps": False,
        "customdata": custom,
        "line": {"color": colour, "width": 2, "dash": "dash"},
        "marker": {"size": sizes, "symbol": "circle-open", "color": colour, "line": {"width": 2}},
        "hovertemplate": hover,
        **(axes or {}),
    }
    return [solid, dashed]


def area_mix_over_time(
    monthly: pd.DataFrame,
    *,
    title: str | None = None,
    height: int = 380,
    today: dt.date | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    events: pd.DataFrame | None = None,
) -> go.Figure:
    """Engagements per month stacked by mission area; months after today are planned activity; a month the
    data covers only in part (the current one, or one cut by the period) is hatched and named under the plot;
    `events` (atlas.views.events) are marked in a strip above the bars."""
    notes = _notes_of(monthly, today, period)
    layout: dict = {
        "barmode": "stack",
        "bargap": 0.1,
        "yaxis": {"title": {"text": "Engagements per month"}},
        "xaxis": {"title": {"text": None}, **month_ticks(monthly)},
    }
    if len(monthly) and monthly.groupby("month")["engagements"].sum().max() <= 5:
        layout["yaxis"]["dtick"] = 1  # a handful of engagements: whole numbers on the axis, not 0.2 steps
    if today is not None and len(monthly) and pd.Timestamp(monthly["month"].max()) > pd.Timestamp(today):
        layout.update(today_line(today, "#666", "today (later months: planned)"))
    note = _partial_note(notes)
    layout["annotations"] = layout.get("annotations", []) + note.get("annotations", [])
    if note:
        layout["margin"] = note["margin"]
    return _figure(_bar_traces(monthly, notes) + over_bars(events, monthly, layout), layout, title=title, height=height)


def area_trend_lines(
    monthly: pd.DataFrame,
    *,
    title: str | None = None,
    height: int = 360,
    today: dt.date | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> go.Figure:
    """One line per mission area: engagements per month; a partial month is an open point on a dashed end."""
    notes = _notes_of(monthly, today, period)
    traces = [
        t
        for code in _AREA_ORDER
        if len(part := monthly[monthly["mission_area"] == code])
        for t in _line_traces(part, code, notes)
    ]
    return _figure(
        traces,
        {
            "yaxis": {"title": {"text": "Engagements per month"}, "rangemode": "tozero"},
            "xaxis": {"title": {"text": None}, **month_ticks(monthly)},
            **_partial_note(notes),
        },
        title=title,
        height=height,
    )


def area_small_multiples(
    monthly: pd.DataFrame,
    *,
    today: dt.date | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    columns: int = 4,
    panel_height: int = 150,
    events: pd.DataFrame | None = None,
) -> go.Figure:
    """One small line chart per mission area (vocabulary order), on one shared scale, each titled with its
    area: seven lines on one chart cannot be told apart. `events` with a mission_area are marked on its panel."""
    notes = _notes_of(monthly, today, period)
    codes = [c for c in _AREA_ORDER if (monthly["mission_area"] == c).any()]
    cols = max(1, min(columns, len(codes)))
    rows = -(-len(codes) // cols)
    title_px, ticks_px = 26, 34  # each panel's title above it, its date ticks below it
    plot_px = rows * (panel_height + title_px + ticks_px) - ticks_px
    top = max(monthly["engagements"].max() * 1.1, 1) if len(monthly) else 1
    marked = events is not None and len(events) > 0
    top = headroom(top) if marked else top
    layout: dict = {"annotations": []}
    traces = []
    gap = 0.05 if cols > 1 else 0
    width = (1 - gap * (cols - 1)) / cols
    for k, code in enumerate(codes):
        row, col = divmod(k, cols)
        suffix = "" if k == 0 else str(k + 1)
        x0 = col * (width + gap)
        y1 = 1 - row * (panel_height + title_px + ticks_px) / plot_px - title_px / plot_px
        y0 = y1 - panel_height / plot_px
        layout[f"xaxis{suffix}"] = {
            "domain": [x0, x0 + width],
            "anchor": f"y{suffix}",
            "type": "date",
            **month_ticks(monthly),
            **({} if k == 0 else {"matches": "x"}),
        }
        layout[f"yaxis{suffix}"] = {
            "domain": [max(y0, 0), y1],
            "anchor": f"x{suffix}",
            "range": [0, top],
            "rangemode": "tozero",
            "showticklabels": col == 0,
            **({"dtick": 1} if top <= 6 else {}),
            **({} if k == 0 else {"matches": "y"}),
        }
        layout["annotations"].append(
            {
                "text": f"<b>{esc(vocab.mission_area_label(code))}</b>",
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": x0,
                "y": y1,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 14, "color": vocab.MISSION_AREA_COLOURS[code]},
            }
        )
        axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        traces += _line_traces(monthly[monthly["mission_area"] == code], code, notes, axes=axes)
        traces += on_panel(events, code, top, axes, traces, months=monthly["month"].nunique())
    note = _partial_note(notes)
    layout["annotations"] += note.get("annotations", [])
    margin = {"t": 34 if marked else 10, "b": 44 if note else 24, "l": 40}
    for t in traces:
        t.setdefault("showlegend", False)  # only the events have a legend: each panel is titled with its area
    return _figure(traces, {**layout, "margin": margin}, height=plot_px + margin["t"] + margin["b"], legend=marked)


def by_type(types: pd.DataFrame, *, title: str | None = None, height: int = 340) -> go.Figure:
    """Engagement types, stacked by mission area."""
    order = list(types.groupby("engagement_type")["engagements"].sum().sort_values().index)
    labels = [vocab.label_of(vocab.ENGAGEMENT_TYPES, t) for t in order]
    traces = _area_bars(types, "engagement_type", "engagements", order, labels, horizontal=True)
    return _figure(
        traces, {"barmode": "stack", "xaxis": {"title": {"text": "Engagements"}}}, title=title, height=height
    )


def region_comparison(region: pd.DataFrame, *, n: int = 15, title: str | None = None, height: int = 380) -> go.Figure:
    """The selected country among the busiest countries of its region (it is always shown)."""
    top = region.head(n)
    if not top["selected"].any():
        top = pd.concat([top.head(n - 1), region[region["selected"]]])
    top = top.iloc[::-1]
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": [esc(n) for n in top["name"]],
        "x": list(top["engagements"]),
        "marker": {"color": ["#0072B2" if s else "#9fb7cc" for s in top["selected"]]},
        "hovertemplate": "%{y}: %{x:,} engagements<extra></extra>",
    }
    return _figure(
        [trace], {"xaxis": {"title": {"text": "Engagements in period"}}}, title=title, height=height, legend=False
    )


def pipeline(pipeline_frame: pd.DataFrame, *, title: str | None = None, height: int = 340) -> go.Figure:
    """Agreements by lifecycle status (in lifecycle order), stacked by mission area."""
    statuses = [s for s, _ in vocab.AGREEMENT_STATUSES]
    labels = [vocab.label_of(vocab.AGREEMENT_STATUSES, s) for s in statuses]
    traces = _area_bars(pipeline_frame, "status", "agreements", statuses, labels, horizontal=False)
    return _figure(traces, {"barmode": "stack", "yaxis": {"title": {"text": "Agreements"}}}, title=title, height=height)


def without_legend(fig: go.Figure) -> go.Figure:
    """The figure with its legend hidden, for a page that names the mission-area colours once above its charts."""
    fig.update_layout(showlegend=False)
    return fig
