"""Partner countries side by side: the choice from a link, headline table, trend on one scale, mission-area
mix, agreements by status, programmes present. DataFrame -> figure or table; no streamlit here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from atlas.data import countries, vocab
from atlas.views import figures
from atlas.views.format import delta_text

MAX_COUNTRIES = 4
URL_KEY = "compare"  # ?compare=CAN,MEX,GBR
SEPARATOR = ","
# One colour and dash per place in the choice (Okabe-Ito, with a dash so print and colour-blind readers tell them).
LINE_STYLES = (("#0072B2", "solid"), ("#D55E00", "dash"), ("#009E73", "dot"), ("#CC79A7", "dashdot"))
HEADLINES = (
    ("engagements", "Engagements in period"),
    ("change", "Change vs previous period"),
    ("participants", "Participants"),
    ("in_force", "Agreements in force"),
    ("negotiation", "In negotiation"),
    ("programs", "Programmes present"),
)


def parse_codes(text: object) -> tuple[tuple[str, ...], list[str]]:
    """(iso3 codes, ignored entries) from a link's 'CAN,MEX,GBR' (names and other codes resolve too); at most
    four, duplicates dropped, unknown entries and those past the fourth ignored."""
    raw = [part.strip() for part in str(text or "").split(SEPARATOR) if part.strip()]
    codes: list[str] = []
    ignored: list[str] = []
    for part in raw:
        code = countries.resolve(part)
        if code is None or len(codes) >= MAX_COUNTRIES:
            ignored.append(part[:40])
        elif code not in codes:
            codes.append(code)
    return tuple(codes), ignored


def default_codes(selected: str | None) -> tuple[str, ...]:
    """The profile's country (if any) beside the priority partners, four at most."""
    return tuple(dict.fromkeys(([selected] if selected else []) + list(vocab.PRIORITY_PARTNERS)))[:MAX_COUNTRIES]


def headline_table(profiles: pd.DataFrame) -> pd.DataFrame:
    """One row per headline number, one column per country (in the order chosen), as text."""
    rows = []
    for key, label in HEADLINES:
        row = {"measure": label}
        for p in profiles.itertuples():
            if key == "change":
                row[p.name] = delta_text(p.engagements, p.prev_engagements) or "—"
            else:
                row[p.name] = f"{int(getattr(p, key)):,}"
        rows.append(row)
    return pd.DataFrame(rows)


def monthly_grid(monthly: pd.DataFrame, codes: Sequence[str], start: dt.date, end: dt.date) -> pd.DataFrame:
    """Engagements per month and country for every month of the period, zero where there were none."""
    months = pd.date_range(pd.Timestamp(start).to_period("M").to_timestamp(), pd.Timestamp(end), freq="MS")
    index = pd.MultiIndex.from_product([months, list(codes)], names=["month", "iso3"])
    frame = monthly.assign(month=pd.to_datetime(monthly["month"])).groupby(["month", "iso3"])["engagements"].sum()
    return frame.reindex(index, fill_value=0).astype(int).reset_index()


def partial_months(start: dt.date, end: dt.date, today: dt.date) -> dict[pd.Timestamp, str]:
    """The period's first and last months when they are not whole, with what they hold in words."""
    marks: dict[pd.Timestamp, str] = {}
    first = pd.Timestamp(start).to_period("M").to_timestamp()
    if pd.Timestamp(start) > first:
        marks[first] = f"from {start.day} {start:%b}"
    last = pd.Timestamp(end).to_period("M").to_timestamp()
    if pd.Timestamp(end) < (last + pd.offsets.MonthEnd(0)):
        marks[last] = "month to date" if end >= today else f"to {end.day} {end:%b}"
    return marks


def trend_figure(
    grid: pd.DataFrame, names: dict[str, str], *, start: dt.date, end: dt.date, today: dt.date, height: int = 360
) -> go.Figure:
    """One line per country on one shared scale: engagements per month; a partial month is marked."""
    marks = partial_months(start, end, today)
    traces = []
    for i, code in enumerate(dict.fromkeys(grid["iso3"])):
        part = grid[grid["iso3"] == code]
        colour, dash = LINE_STYLES[i % len(LINE_STYLES)]
        name = figures.esc(names.get(code, code))
        notes = [f" ({marks[m]})" if m in marks else "" for m in part["month"]]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": list(part["month"]),
                "y": list(part["engagements"]),
                "customdata": notes,
                "line": {"color": colour, "width": 3, "dash": dash},
                "marker": {
                    "size": [10 if n else 6 for n in notes],
                    "color": colour,
                    "symbol": ["circle-open" if n else "circle" for n in notes],
                },
                "hovertemplate": "%{x|%b %Y}%{customdata}<br>" + name + ": %{y:,}<extra></extra>",
            }
        )
    layout: dict = {
        "yaxis": {"title": {"text": "Engagements per month"}, "rangemode": "tozero"},
        "xaxis": {"title": {"text": None}},
        "margin": {"t": 40},
    }
    if len(grid) and grid["engagements"].max() <= 5:
        layout["yaxis"]["dtick"] = 1
    layout["annotations"] = [
        {
            "x": m.strftime("%Y-%m-%d"),
            "xref": "x",
            "y": 1,
            "yref": "paper",
            "text": text,
            "showarrow": False,
            "yanchor": "bottom",
            "font": {"color": "#666"},
        }
        for m, text in marks.items()
        if m in set(grid["month"])
    ]
    return figures._figure(traces, layout, height=height)


def area_mix_figure(
    by_area: pd.DataFrame, codes: Sequence[str], names: dict[str, str], *, height: int = 300
) -> go.Figure:
    """Each country's engagements by mission area as one bar of 100%, in the order chosen (top first)."""
    order = [c for c in codes if c in set(by_area["iso3"])][::-1]
    traces = figures._area_bars(
        by_area, "iso3", "engagements", order, [figures.esc(names.get(c, c)) for c in order], horizontal=True
    )
    for trace in traces:
        trace["hovertemplate"] = "%{y}<br>" + figures.esc(trace["name"]) + ": %{x:.0f}%<extra></extra>"
    return figures._figure(
        traces,
        {
            "barmode": "stack",
            "barnorm": "percent",
            "xaxis": {"title": {"text": "Share of the country's engagements (%)"}, "range": [0, 100]},
            "yaxis": {"automargin": True},
            "legend": {"traceorder": "normal"},
        },
        height=max(height, 90 + 55 * len(order)),
    )


def agreements_figure(
    by_status: pd.DataFrame, codes: Sequence[str], names: dict[str, str], *, height: int = 320
) -> go.Figure:
    """Agreements per country by current status (lifecycle order), bars side by side."""
    labels = [figures.esc(names.get(c, c)) for c in codes]
    traces = []
    for status, label in vocab.AGREEMENT_STATUSES:
        part = by_status[by_status["status"] == status].set_index("iso3")["agreements"].reindex(list(codes))
        if part.fillna(0).sum() == 0:
            continue
        traces.append(
            {
                "type": "bar",
                "name": label,
                "x": labels,
                "y": list(part.fillna(0).astype(int)),
                "marker": {"color": vocab.AGREEMENT_STATUS_COLOURS[status]},
                "hovertemplate": "%{x}<br>" + label + ": %{y:,}<extra></extra>",
            }
        )
    layout: dict = {"barmode": "group", "yaxis": {"title": {"text": "Agreements"}}}
    if len(by_status) and by_status["agreements"].max() <= 5:
        layout["yaxis"]["dtick"] = 1
    return figures._figure(traces, layout, height=height)


def programme_table(programs: pd.DataFrame, codes: Sequence[str], names: dict[str, str]) -> pd.DataFrame:
    """One row per programme, one column per country: its current sites or membership, '—' for none; marked
    uncertain where a row rests on a weak or dated source."""
    table = []
    for program, part in programs.groupby("program", sort=True):
        sites = dict(zip(part["iso3"], part["sites"]))
        doubtful = set(part["iso3"][part["uncertain"]])
        row = {"programme": program}
        for code in codes:
            n = int(sites.get(code, 0))
            text = "—" if not n else "✓" if n == 1 else f"✓ {n} sites"
            row[names.get(code, code)] = text + (" (uncertain)" if code in doubtful else "")
        table.append(row)
    return pd.DataFrame(table, columns=["programme", *[names.get(c, c) for c in codes]])
