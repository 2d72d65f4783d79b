"""DataFrame -> plotly figure. Plain builders: no streamlit, no queries.

Every text that came from the data is escaped before it reaches hover text: plotly renders a subset
of HTML there. Mission areas always wear the colours defined in vocab.
"""
from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go

from atlas import vocab

# Blues with more steps at the low end: a few very active partners must not wash out everyone else.
SEQUENTIAL = [[0.0, "#deebf7"], [0.04, "#c6dbef"], [0.12, "#9ecae1"], [0.3, "#6baed6"], [0.55, "#3182bd"],
              [1.0, "#08519c"]]
FONT = "Source Sans Pro, Arial, sans-serif"
_AREA_ORDER = [m.code for m in vocab.MISSION_AREAS]


def esc(value: object) -> str:
    """Escape data text for plotly hover labels and annotations."""
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def _base(fig: go.Figure, *, title: str | None = None, height: int = 420, legend: bool = True) -> go.Figure:
    fig.update_layout(
        title=dict(text=esc(title), x=0, xanchor="left") if title else None,
        height=height, margin=dict(l=10, r=10, t=50 if title else 10, b=10),
        font=dict(family=FONT), showlegend=legend,
        # Above the plot: a fixed distance from the data whatever the chart's height.
        legend=dict(orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0, title_text=""),
        hoverlabel=dict(font_size=14),
    )
    return fig


def _area_names(codes) -> list[str]:
    return [vocab.mission_area_label(c) for c in codes]


# --- maps -----------------------------------------------------------------------------------------

def world_choropleth(frame: pd.DataFrame, *, value: str = "engagements", label: str = "Engagements",
                     title: str | None = None, height: int = 460, colour: str | None = None) -> go.Figure:
    """Countries shaded by `value`; small states get a marker in the same colour so they can be seen.

    `frame` needs iso3, name, small, lat, lon and the value column.
    """
    data = frame[frame[value] > 0]
    scale = [[0, "#e8eef4"], [0.15, colour], [1, colour]] if colour else SEQUENTIAL
    zmax = float(data[value].max()) if len(data) else 1.0
    hover = [f"<b>{esc(n)}</b><br>{label}: {v:,.0f}" for n, v in zip(data["name"], data[value])]
    fig = go.Figure(go.Choropleth(
        locations=data["iso3"], z=data[value], locationmode="ISO-3", colorscale=scale, zmin=0, zmax=zmax,
        hovertext=hover, hoverinfo="text", marker_line_color="white", marker_line_width=0.4,
        colorbar=dict(title=dict(text=label), thickness=12, len=0.6), customdata=data["iso3"],
    ))
    small = data[data["small"].astype(bool)]
    if len(small):
        fig.add_trace(go.Scattergeo(
            lat=small["lat"], lon=small["lon"], mode="markers", customdata=small["iso3"],
            marker=dict(size=9, color=small[value], colorscale=scale, cmin=0, cmax=zmax,
                        line=dict(color="#333", width=0.8)),
            hovertext=[f"<b>{esc(n)}</b><br>{label}: {v:,.0f}" for n, v in zip(small["name"], small[value])],
            hoverinfo="text", showlegend=False, name="Small states",
        ))
    fig.update_geos(
        projection_type="natural earth", resolution=50, showcountries=True, countrycolor="#bbbbbb",
        showcoastlines=False, showland=True, landcolor="#eeeeee", showocean=False, showframe=False,
        bgcolor="rgba(0,0,0,0)", lataxis_range=[-58, 85],
    )
    return _base(fig, title=title, height=height, legend=False)


# --- bars and lines -------------------------------------------------------------------------------

def top_partners(by_area: pd.DataFrame, *, n: int = 10, title: str | None = None, height: int = 420) -> go.Figure:
    """Horizontal bars of the busiest partner countries, stacked by mission area."""
    totals = by_area.groupby("name")["engagements"].sum().sort_values(ascending=False).head(n)
    order = list(totals.index[::-1])
    data = by_area[by_area["name"].isin(order)]
    fig = go.Figure()
    for code in _AREA_ORDER:
        part = data[data["mission_area"] == code].set_index("name").reindex(order)
        if part["engagements"].fillna(0).sum() == 0:
            continue
        fig.add_trace(go.Bar(
            y=[esc(n) for n in order], x=part["engagements"].fillna(0), orientation="h",
            name=vocab.mission_area_label(code), marker_color=vocab.MISSION_AREA_COLOURS[code],
            hovertemplate="%{y}<br>" + esc(vocab.mission_area_label(code)) + ": %{x:,}<extra></extra>",
        ))
    fig.update_layout(barmode="stack", xaxis_title="Engagements", yaxis=dict(automargin=True))
    return _base(fig, title=title, height=height)


def area_mix_over_time(monthly: pd.DataFrame, *, title: str | None = None, height: int = 380,
                       today: dt.date | None = None) -> go.Figure:
    """Engagements per month stacked by mission area; months after today are planned activity."""
    fig = go.Figure()
    for code in _AREA_ORDER:
        part = monthly[monthly["mission_area"] == code]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            x=part["month"], y=part["engagements"], name=vocab.mission_area_label(code),
            marker_color=vocab.MISSION_AREA_COLOURS[code],
            hovertemplate="%{x|%b %Y}<br>" + esc(vocab.mission_area_label(code)) + ": %{y:,}<extra></extra>",
        ))
    fig.update_layout(barmode="stack", yaxis_title="Engagements per month", xaxis_title=None, bargap=0.1)
    if len(monthly) and monthly.groupby("month")["engagements"].sum().max() <= 5:
        fig.update_yaxes(dtick=1)  # a handful of engagements: whole numbers on the axis, not 0.2 steps
    if today is not None and len(monthly) and pd.Timestamp(monthly["month"].max()) > pd.Timestamp(today):
        fig.add_vline(x=pd.Timestamp(today).timestamp() * 1000, line_dash="dot", line_color="#666",
                      annotation_text="today (later months: planned)", annotation_position="top left")
    return _base(fig, title=title, height=height)


def area_trend_lines(monthly: pd.DataFrame, *, title: str | None = None, height: int = 360) -> go.Figure:
    """One line per mission area: engagements per month."""
    fig = go.Figure()
    for code in _AREA_ORDER:
        part = monthly[monthly["mission_area"] == code]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["month"], y=part["engagements"], mode="lines+markers", name=vocab.mission_area_label(code),
            line=dict(color=vocab.MISSION_AREA_COLOURS[code], width=3), marker=dict(size=5),
            hovertemplate="%{x|%b %Y}<br>" + esc(vocab.mission_area_label(code)) + ": %{y:,}<extra></extra>",
        ))
    # From zero, so 9 to 18 a month reads as a doubling, not as a climb from the floor to the ceiling.
    fig.update_layout(yaxis_title="Engagements per month", xaxis_title=None, yaxis_rangemode="tozero")
    return _base(fig, title=title, height=height)


def by_type(types: pd.DataFrame, *, title: str | None = None, height: int = 340) -> go.Figure:
    """Engagement types, stacked by mission area."""
    order = list(types.groupby("engagement_type")["engagements"].sum().sort_values().index)
    labels = {t: vocab.label_of(vocab.ENGAGEMENT_TYPES, t) for t in order}
    fig = go.Figure()
    for code in _AREA_ORDER:
        part = types[types["mission_area"] == code].set_index("engagement_type").reindex(order)
        if part["engagements"].fillna(0).sum() == 0:
            continue
        fig.add_trace(go.Bar(
            y=[labels[t] for t in order], x=part["engagements"].fillna(0), orientation="h",
            name=vocab.mission_area_label(code), marker_color=vocab.MISSION_AREA_COLOURS[code],
            hovertemplate="%{y}<br>" + esc(vocab.mission_area_label(code)) + ": %{x:,}<extra></extra>",
        ))
    fig.update_layout(barmode="stack", xaxis_title="Engagements")
    return _base(fig, title=title, height=height)


def region_comparison(region: pd.DataFrame, *, n: int = 15, title: str | None = None, height: int = 380) -> go.Figure:
    """The selected country among the busiest countries of its region (it is always shown)."""
    top = region.head(n)
    if not top["selected"].any():
        top = pd.concat([top.head(n - 1), region[region["selected"]]])
    top = top.iloc[::-1]
    colours = ["#0072B2" if s else "#9fb7cc" for s in top["selected"]]
    fig = go.Figure(go.Bar(
        y=[esc(n) for n in top["name"]], x=top["engagements"], orientation="h", marker_color=colours,
        hovertemplate="%{y}: %{x:,} engagements<extra></extra>",
    ))
    fig.update_layout(xaxis_title="Engagements in period")
    return _base(fig, title=title, height=height, legend=False)


def pipeline(pipeline_frame: pd.DataFrame, *, title: str | None = None, height: int = 340) -> go.Figure:
    """Agreements by lifecycle status (in lifecycle order), stacked by mission area."""
    statuses = [s for s, _ in vocab.AGREEMENT_STATUSES]
    labels = [vocab.label_of(vocab.AGREEMENT_STATUSES, s) for s in statuses]
    fig = go.Figure()
    for code in _AREA_ORDER:
        part = pipeline_frame[pipeline_frame["mission_area"] == code].set_index("status").reindex(statuses)
        if part["agreements"].fillna(0).sum() == 0:
            continue
        fig.add_trace(go.Bar(
            x=labels, y=part["agreements"].fillna(0), name=vocab.mission_area_label(code),
            marker_color=vocab.MISSION_AREA_COLOURS[code],
            hovertemplate="%{x}<br>" + esc(vocab.mission_area_label(code)) + ": %{y:,}<extra></extra>",
        ))
    fig.update_layout(barmode="stack", yaxis_title="Agreements")
    return _base(fig, title=title, height=height)


def lifecycle_gantt(agreements: pd.DataFrame, *, today: dt.date, title: str | None = None,
                    max_rows: int = 40) -> go.Figure:
    """One bar per agreement from its first recorded date to its expiry (open-ended: to today + 1 year),
    coloured by status; signature and entry-into-force dates are marked."""
    data = agreements.head(max_rows).iloc[::-1]
    horizon = pd.Timestamp(today) + pd.DateOffset(years=1)
    fig = go.Figure()
    seen: set[str] = set()
    for row in data.itertuples():
        start = pd.Timestamp(row.lifecycle_start) if pd.notna(row.lifecycle_start) else pd.Timestamp(today)
        end = pd.Timestamp(row.date_expires) if pd.notna(row.date_expires) else max(horizon, start)
        label = esc(_short(row.title, 48))
        status_label = vocab.label_of(vocab.AGREEMENT_STATUSES, row.status)
        fig.add_trace(go.Bar(
            y=[label], x=[(end - start).total_seconds() * 1000], base=[start], orientation="h",
            marker_color=vocab.AGREEMENT_STATUS_COLOURS.get(row.status, "#888"),
            name=status_label, legendgroup=row.status, showlegend=row.status not in seen,
            hovertext=(f"<b>{esc(row.title)}</b><br>{esc(row.partners)}<br>Status: {status_label}"
                       f"<br>Signed: {_day(row.date_signed)} · In force: {_day(row.date_in_force)}"
                       f" · Expires: {_day(row.date_expires)}"),
            hoverinfo="text",
        ))
        seen.add(row.status)
    # Marker names differ from the status names ("Signed", "In force") the bars already use in the legend.
    for column, symbol, name in (("date_signed", "line-ns-open", "Signature date"),
                                 ("date_in_force", "diamond", "Entry into force")):
        marks = data[data[column].notna()]
        if len(marks):
            fig.add_trace(go.Scatter(
                x=marks[column], y=[esc(_short(t, 48)) for t in marks["title"]], mode="markers", name=name,
                marker=dict(symbol=symbol, size=10, color="#222", line=dict(width=2)), hoverinfo="skip",
            ))
    fig.add_vline(x=pd.Timestamp(today).timestamp() * 1000, line_dash="dot", line_color="#D55E00",
                  annotation_text="today", annotation_position="top")
    fig.update_layout(barmode="overlay", xaxis=dict(type="date", title=None), yaxis=dict(automargin=True))
    fig = _base(fig, title=title, height=max(320, 26 * len(data) + 90))
    if not title:
        fig.update_layout(margin_t=30)  # room for the "today" label above the plot
    return fig


def _day(value) -> str:
    return f"{pd.Timestamp(value):%d %b %Y}" if value is not None and pd.notna(value) else "—"


def _short(text: object, limit: int) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- mission-area small multiples -----------------------------------------------------------------

def area_map(frame: pd.DataFrame, code: str, *, value: str = "engagements", height: int = 260) -> go.Figure:
    """A small world map of one mission area in its own colour: no colour bar, countries with activity
    outlined (a pale tint must still stand out from land without any), small-state dots kept small."""
    fig = world_choropleth(frame, value=value, colour=vocab.MISSION_AREA_COLOURS[code], height=height)
    fig.update_traces(showscale=False, marker_line_color="#555555", marker_line_width=0.6,
                      selector=dict(type="choropleth"))
    fig.update_traces(marker_size=6, marker_line_width=0.6, selector=dict(type="scattergeo"))
    fig.update_layout(margin=dict(l=0, r=0, t=0, b=0))
    return fig


def without_legend(fig: go.Figure) -> go.Figure:
    """The figure with its legend hidden, for a page that names the mission-area colours once above its charts."""
    fig.update_layout(showlegend=False)
    return fig
