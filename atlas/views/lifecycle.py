"""The agreements' lifecycle timeline (a gantt of signature to expiry): DataFrame -> plotly figure, no streamlit.

The limits of the timeline (how many rows, how long a label) live here and nowhere else.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from atlas.data import vocab
from atlas.views import agreement_figures
from atlas.views.figures import _figure, esc
from atlas.views.months import today_line

GANTT_MAX_ROWS = 40  # agreements drawn on one lifecycle timeline; a page's table lists the rest
GANTT_LABEL_CHARS = 48  # each line of a timeline row's label: the title, then the partners


def gantt_rows(agreements: pd.DataFrame) -> pd.DataFrame:
    """The agreements one lifecycle timeline draws (the first GANTT_MAX_ROWS, in the order given)."""
    return agreements.head(GANTT_MAX_ROWS)


def lifecycle_gantt(agreements: pd.DataFrame, *, today: dt.date, title: str | None = None) -> go.Figure:
    """One bar per agreement from its first recorded date to its expiry (open-ended: to today + 1 year),
    coloured by status; signature and entry-into-force dates are marked. Each row is labelled with the title
    (shortened at a word) over its partner countries; ids stay in the tables."""
    data = gantt_rows(agreements).iloc[::-1].reset_index(drop=True)  # the first agreement on top
    horizon = pd.Timestamp(today) + pd.DateOffset(years=1)
    bars: dict[str, dict] = {}
    for y, row in enumerate(data.itertuples()):
        start = pd.Timestamp(row.lifecycle_start) if pd.notna(row.lifecycle_start) else pd.Timestamp(today)
        end = pd.Timestamp(row.date_expires) if pd.notna(row.date_expires) else max(horizon, start)
        status_label = vocab.label_of(vocab.AGREEMENT_STATUSES, row.status)
        bar = bars.setdefault(
            row.status,
            {
                "type": "bar",
                "orientation": "h",
                "name": status_label,
                "legendgroup": row.status,
                "marker": {"color": vocab.AGREEMENT_STATUS_COLOURS.get(row.status, "#888")},
                "hoverinfo": "text",
                "y": [],
                "x": [],
                "base": [],
                "hovertext": [],
                "width": 0.6,
            },
        )
        bar["y"].append(y)
        bar["x"].append((end - start).total_seconds() * 1000)
        bar["base"].append(start.strftime("%Y-%m-%d"))
        bar["hovertext"].append(
            f"<b>{esc(row.title)}</b><br>{esc(row.partners)}<br>Status: {status_label}"
            f"<br>Signed: {_day(row.date_signed)} · In force: {_day(row.date_in_force)}"
            f" · Expires: {_day(row.date_expires)}"
        )
    traces = list(bars.values())
    # Marker names differ from the status names ("Signed", "In force") the bars already use in the legend.
    for column, symbol, name in (
        ("date_signed", "line-ns-open", "Signature date"),
        ("date_in_force", "diamond", "Entry into force"),
    ):
        marks = data[data[column].notna()]
        if len(marks):
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": name,
                    "hoverinfo": "skip",
                    "x": marks[column],
                    "y": list(marks.index),
                    "marker": {"symbol": symbol, "size": 10, "color": "#222", "line": {"width": 2}},
                }
            )
    labels = [agreement_figures.row_label(t, p, GANTT_LABEL_CHARS) for t, p in zip(data["title"], data["partners"])]
    layout = {
        "barmode": "overlay",
        "xaxis": {"type": "date", "title": {"text": None}},
        "yaxis": {
            "automargin": True,
            "tickmode": "array",
            "tickvals": list(range(len(data))),
            "ticktext": labels,
            "range": [-0.5, len(data) - 0.5],
            "zeroline": False,
            "showgrid": False,
        },
        **today_line(today, "#D55E00", "today", position="center"),
    }
    fig = _figure(traces, layout, title=title, height=max(320, 40 * len(data) + 90))
    if not title:
        fig.layout.margin.t = 30  # room for the "today" label above the plot
    return fig


def _day(value) -> str:
    return f"{pd.Timestamp(value):%d %b %Y}" if value is not None and pd.notna(value) else "—"
