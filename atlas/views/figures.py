"""DataFrame -> plotly figure. Plain builders: no streamlit, no queries.

Every text that came from the data is escaped before it reaches hover text: plotly renders a subset
of HTML there. Mission areas always wear the colours defined in vocab.
"""
from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go

from atlas.data import vocab

FONT = "Source Sans Pro, Arial, sans-serif"
_AREA_ORDER = [m.code for m in vocab.MISSION_AREAS]


def esc(value: object) -> str:
    """Escape data text for plotly hover labels and annotations."""
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def _figure(traces: list[dict], layout: dict | None = None, *, title: str | None = None, height: int = 420,
            legend: bool = True) -> go.Figure:
    """One figure from plain dicts, validated once: plotly's update_* calls cost far more per property."""
    base = {
        "title": {"text": esc(title), "x": 0, "xanchor": "left"} if title else None,
        "height": height, "margin": {"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        "font": {"family": FONT}, "showlegend": legend,
        # Above the plot: a fixed distance from the data whatever the chart's height.
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.01, "xanchor": "left", "x": 0, "title": {"text": ""}},
        "hoverlabel": {"font": {"size": 14}},
    }
    if base["title"] is None:
        del base["title"]
    for key, value in (layout or {}).items():
        base[key] = {**base[key], **value} if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return go.Figure({"data": traces, "layout": base})


def _today_line(today, colour: str, text: str, position: str = "left") -> dict:
    """A dotted vertical line at today, labelled above the plot."""
    day = pd.Timestamp(today).strftime("%Y-%m-%d")
    return {
        "shapes": [{"type": "line", "xref": "x", "yref": "paper", "x0": day, "x1": day, "y0": 0, "y1": 1,
                    "line": {"dash": "dot", "color": colour, "width": 1.5}}],
        "annotations": [{"x": day, "xref": "x", "y": 1, "yref": "paper", "text": text, "showarrow": False,
                         "xanchor": "right" if position == "left" else "center", "yanchor": "bottom",
                         "font": {"color": colour}}],
    }


# --- bars and lines -------------------------------------------------------------------------------

def _area_bars(frame: pd.DataFrame, category: str, value: str, order: list, labels: list[str], *,
               horizontal: bool) -> list[dict]:
    """One stacked bar trace per mission area (in vocabulary order), over the categories in `order`."""
    traces = []
    for code in _AREA_ORDER:
        part = frame[frame["mission_area"] == code].set_index(category)[value].reindex(order).fillna(0)
        if part.sum() == 0:
            continue
        label = vocab.mission_area_label(code)
        axis = "%{y}" if horizontal else "%{x}"
        traces.append({
            "type": "bar", "name": label, "marker": {"color": vocab.MISSION_AREA_COLOURS[code]},
            "orientation": "h" if horizontal else "v",
            ("y" if horizontal else "x"): labels, ("x" if horizontal else "y"): list(part),
            "hovertemplate": f"{axis}<br>{esc(label)}: %{{{'x' if horizontal else 'y'}:,}}<extra></extra>",
        })
    return traces


def top_partners(by_area: pd.DataFrame, *, n: int = 10, title: str | None = None, height: int = 420) -> go.Figure:
    """Horizontal bars of the busiest partner countries, stacked by mission area."""
    totals = by_area.groupby("name")["engagements"].sum().sort_values(ascending=False).head(n)
    order = list(totals.index[::-1])
    traces = _area_bars(by_area[by_area["name"].isin(order)], "name", "engagements", order,
                        [esc(n) for n in order], horizontal=True)
    return _figure(traces, {"barmode": "stack", "xaxis": {"title": {"text": "Engagements"}},
                            "yaxis": {"automargin": True}}, title=title, height=height)


def clickable_partners(fig: go.Figure, by_area: pd.DataFrame) -> go.Figure:
    """top_partners' figure with every bar carrying its country's ISO3 as customdata, so a click opens it."""
    iso_of = dict(zip((esc(n) for n in by_area["name"]), by_area["iso3"]))
    for trace in fig.data:
        trace.customdata = [iso_of.get(label) for label in trace.y]
    return fig


def _monthly_traces(monthly: pd.DataFrame, kind: str) -> list[dict]:
    traces = []
    for code in _AREA_ORDER:
        part = monthly[monthly["mission_area"] == code]
        if part.empty:
            continue
        label, colour = vocab.mission_area_label(code), vocab.MISSION_AREA_COLOURS[code]
        trace = {"x": part["month"], "y": part["engagements"], "name": label,
                 "hovertemplate": "%{x|%b %Y}<br>" + esc(label) + ": %{y:,}<extra></extra>"}
        if kind == "bar":
            trace.update(type="bar", marker={"color": colour})
        else:
            trace.update(type="scatter", mode="lines+markers", line={"color": colour, "width": 3}, marker={"size": 5})
        traces.append(trace)
    return traces


def area_mix_over_time(monthly: pd.DataFrame, *, title: str | None = None, height: int = 380,
                       today: dt.date | None = None) -> go.Figure:
    """Engagements per month stacked by mission area; months after today are planned activity."""
    layout: dict = {"barmode": "stack", "bargap": 0.1, "yaxis": {"title": {"text": "Engagements per month"}},
                    "xaxis": {"title": {"text": None}}}
    if len(monthly) and monthly.groupby("month")["engagements"].sum().max() <= 5:
        layout["yaxis"]["dtick"] = 1  # a handful of engagements: whole numbers on the axis, not 0.2 steps
    if today is not None and len(monthly) and pd.Timestamp(monthly["month"].max()) > pd.Timestamp(today):
        layout.update(_today_line(today, "#666", "today (later months: planned)"))
    return _figure(_monthly_traces(monthly, "bar"), layout, title=title, height=height)


def area_trend_lines(monthly: pd.DataFrame, *, title: str | None = None, height: int = 360) -> go.Figure:
    """One line per mission area: engagements per month."""
    return _figure(_monthly_traces(monthly, "line"),
                   {"yaxis": {"title": {"text": "Engagements per month"}, "rangemode": "tozero"},
                    "xaxis": {"title": {"text": None}}}, title=title, height=height)


def by_type(types: pd.DataFrame, *, title: str | None = None, height: int = 340) -> go.Figure:
    """Engagement types, stacked by mission area."""
    order = list(types.groupby("engagement_type")["engagements"].sum().sort_values().index)
    labels = [vocab.label_of(vocab.ENGAGEMENT_TYPES, t) for t in order]
    traces = _area_bars(types, "engagement_type", "engagements", order, labels, horizontal=True)
    return _figure(traces, {"barmode": "stack", "xaxis": {"title": {"text": "Engagements"}}}, title=title,
                   height=height)


def region_comparison(region: pd.DataFrame, *, n: int = 15, title: str | None = None, height: int = 380) -> go.Figure:
    """The selected country among the busiest countries of its region (it is always shown)."""
    top = region.head(n)
    if not top["selected"].any():
        top = pd.concat([top.head(n - 1), region[region["selected"]]])
    top = top.iloc[::-1]
    trace = {"type": "bar", "orientation": "h", "y": [esc(n) for n in top["name"]], "x": list(top["engagements"]),
             "marker": {"color": ["#0072B2" if s else "#9fb7cc" for s in top["selected"]]},
             "hovertemplate": "%{y}: %{x:,} engagements<extra></extra>"}
    return _figure([trace], {"xaxis": {"title": {"text": "Engagements in period"}}}, title=title, height=height,
                   legend=False)


def pipeline(pipeline_frame: pd.DataFrame, *, title: str | None = None, height: int = 340) -> go.Figure:
    """Agreements by lifecycle status (in lifecycle order), stacked by mission area."""
    statuses = [s for s, _ in vocab.AGREEMENT_STATUSES]
    labels = [vocab.label_of(vocab.AGREEMENT_STATUSES, s) for s in statuses]
    traces = _area_bars(pipeline_frame, "status", "agreements", statuses, labels, horizontal=False)
    return _figure(traces, {"barmode": "stack", "yaxis": {"title": {"text": "Agreements"}}}, title=title,
                   height=height)


def lifecycle_gantt(agreements: pd.DataFrame, *, today: dt.date, title: str | None = None,
                    max_rows: int = 40) -> go.Figure:
    """One bar per agreement from its first recorded date to its expiry (open-ended: to today + 1 year),
    coloured by status; signature and entry-into-force dates are marked."""
    data = agreements.head(max_rows).iloc[::-1]
    horizon = pd.Timestamp(today) + pd.DateOffset(years=1)
    bars: dict[str, dict] = {}
    for row in data.itertuples():
        start = pd.Timestamp(row.lifecycle_start) if pd.notna(row.lifecycle_start) else pd.Timestamp(today)
        end = pd.Timestamp(row.date_expires) if pd.notna(row.date_expires) else max(horizon, start)
        status_label = vocab.label_of(vocab.AGREEMENT_STATUSES, row.status)
        bar = bars.setdefault(row.status, {
            "type": "bar", "orientation": "h", "name": status_label, "legendgroup": row.status,
            "marker": {"color": vocab.AGREEMENT_STATUS_COLOURS.get(row.status, "#888")}, "hoverinfo": "text",
            "y": [], "x": [], "base": [], "hovertext": []})
        bar["y"].append(esc(_short(row.title, 48)))
        bar["x"].append((end - start).total_seconds() * 1000)
        bar["base"].append(start.strftime("%Y-%m-%d"))
        bar["hovertext"].append(f"<b>{esc(row.title)}</b><br>{esc(row.partners)}<br>Status: {status_label}"
                                f"<br>Signed: {_day(row.date_signed)} · In force: {_day(row.date_in_force)}"
                                f" · Expires: {_day(row.date_expires)}")
    traces = list(bars.values())
    # Marker names differ from the status names ("Signed", "In force") the bars already use in the legend.
    for column, symbol, name in (("date_signed", "line-ns-open", "Signature date"),
                                 ("date_in_force", "diamond", "Entry into force")):
        marks = data[data[column].notna()]
        if len(marks):
            traces.append({"type": "scatter", "mode": "markers", "name": name, "hoverinfo": "skip",
                           "x": marks[column], "y": [esc(_short(t, 48)) for t in marks["title"]],
                           "marker": {"symbol": symbol, "size": 10, "color": "#222", "line": {"width": 2}}})
    # Rows in the order given (categories would otherwise follow the first trace that names them).
    rows = list(dict.fromkeys(esc(_short(t, 48)) for t in data["title"]))
    layout = {"barmode": "overlay", "xaxis": {"type": "date", "title": {"text": None}},
              "yaxis": {"automargin": True, "categoryorder": "array", "categoryarray": rows},
              **_today_line(today, "#D55E00", "today", position="center")}
    fig = _figure(traces, layout, title=title, height=max(320, 26 * len(data) + 90))
    if not title:
        fig.layout.margin.t = 30  # room for the "today" label above the plot
    return fig


def _day(value) -> str:
    return f"{pd.Timestamp(value):%d %b %Y}" if value is not None and pd.notna(value) else "—"


def _short(text: object, limit: int) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def without_legend(fig: go.Figure) -> go.Figure:
    """The figure with its legend hidden, for a page that names the mission-area colours once above its charts."""
    fig.update_layout(showlegend=False)
    return fig
