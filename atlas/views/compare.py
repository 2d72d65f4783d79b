"""Partners side by side, countries and international organizations mixed: the choice from a link, headline
table, trend on one scale, mission-area mix, agreements by status, programmes present. Every frame keys a partner
by `code` (an ISO3 or an organization code). DataFrame -> figure or table; no streamlit here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from atlas.data import countries, organizations, vocab
from atlas.views import figures
from atlas.views.format import delta_text

MAX_PARTNERS = 4
URL_KEY = "compare"  # ?compare=CAN,MEX,EU: countries and organizations by code
NOT_APPLICABLE = "not applicable"  # an organization has no programme sites or memberships
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
    """(codes, ignored entries) from a link's 'CAN,MEX,EU': a country (ISO3, ISO2 or name) or else an
    organization (code, name or alias) each; at most four, duplicates dropped, unknown entries and those past the
    fourth ignored. No organization's spelling is a country's (tests/test_country_multilateral.py), so none is lost."""
    raw = [part.strip() for part in str(text or "").split(SEPARATOR) if part.strip()]
    codes: list[str] = []
    ignored: list[str] = []
    for part in raw:
        code = countries.resolve(part) or organizations.resolve(part)
        if code is None or len(codes) >= MAX_PARTNERS:
            ignored.append(part[:40])
        elif code not in codes:
            codes.append(code)
    return tuple(codes), ignored


def default_codes(selected: str | None) -> tuple[str, ...]:
    """The profile's country (if any) beside the priority partners, four at most."""
    return tuple(dict.fromkeys(([selected] if selected else []) + list(vocab.PRIORITY_PARTNERS)))[:MAX_PARTNERS]


def split(codes: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(countries, organizations) among the codes chosen, each in the order chosen."""
    known = set(organizations.codes())
    return tuple(c for c in codes if c not in known), tuple(c for c in codes if c in known)


def organization_names() -> dict[str, str]:
    """code -> name of every organization a comparison may name, in the reference file's order."""
    return {row["code"]: row["name"] for row in organizations.load_organizations()}


def partners(by_country: pd.DataFrame | None, by_organization: pd.DataFrame | None) -> pd.DataFrame:
    """The rows of a country query (keyed iso3) and of its organization twin (keyed org_code) as one frame keyed
    `code`; None for a kind not chosen."""
    frames = [
        frame.rename(columns={"iso3": "code", "org_code": "code"})
        for frame in (by_country, by_organization)
        if frame is not None
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"code": []})


def headline_table(profiles: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """One row per headline number, one column per partner (in the order chosen), as text; programmes present
    is not applicable to an organization (programs NULL)."""
    ordered = profiles.set_index("code").reindex([c for c in codes if c in set(profiles["code"])])
    rows = []
    for key, label in HEADLINES:
        row = {"measure": label}
        for p in ordered.itertuples():
            if key == "change":
                row[p.name] = delta_text(p.engagements, p.prev_engagements) or "—"
            elif pd.isna(getattr(p, key)):
                row[p.name] = NOT_APPLICABLE
            else:
                row[p.name] = f"{int(getattr(p, key)):,}"
        rows.append(row)
    return pd.DataFrame(rows)


def monthly_grid(monthly: pd.DataFrame, codes: Sequence[str], start: dt.date, end: dt.date) -> pd.DataFrame:
    """Engagements per month and partner for every month of the period, zero where there were none."""
    months = pd.date_range(pd.Timestamp(start).to_period("M").to_timestamp(), pd.Timestamp(end), freq="MS")
    index = pd.MultiIndex.from_product([months, list(codes)], names=["month", "code"])
    frame = monthly.assign(month=pd.to_datetime(monthly["month"])).groupby(["month", "code"])["engagements"].sum()
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
    """One line per partner on one shared scale: engagements per month; a partial month is marked."""
    marks = partial_months(start, end, today)
    traces = []
    for i, code in enumerate(dict.fromkeys(grid["code"])):
        part = grid[grid["code"] == code]
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
    """Each partner's engagements by mission area as one bar of 100%, in the order chosen (top first)."""
    order = [c for c in codes if c in set(by_area["code"])][::-1]
    traces = figures._area_bars(
        by_area, "code", "engagements", order, [figures.esc(names.get(c, c)) for c in order], horizontal=True
    )
    for trace in traces:
        trace["hovertemplate"] = "%{y}<br>" + figures.esc(trace["name"]) + ": %{x:.0f}%<extra></extra>"
    return figures._figure(
        traces,
        {
            "barmode": "stack",
            "barnorm": "percent",
            "xaxis": {"title": {"text": "Share of the partner's engagements (%)"}, "range": [0, 100]},
            "yaxis": {"automargin": True},
            "legend": {"traceorder": "normal"},
        },
        height=max(height, 90 + 55 * len(order)),
    )


def agreements_figure(
    by_status: pd.DataFrame, codes: Sequence[str], names: dict[str, str], *, height: int = 320
) -> go.Figure:
    """Agreements per partner by current status (lifecycle order), bars side by side."""
    labels = [figures.esc(names.get(c, c)) for c in codes]
    traces = []
    for status, label in vocab.AGREEMENT_STATUSES:
        part = by_status[by_status["status"] == status].set_index("code")["agreements"].reindex(list(codes))
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
    """One row per programme, one column per partner: a country's current sites or membership, '—' for none,
    marked uncertain where a row rests on a weak or dated source; 'not applicable' for an organization."""
    bodies = set(split(codes)[1])
    table = []
    for program, part in programs.groupby("program", sort=True):
        sites = dict(zip(part["iso3"], part["sites"]))
        doubtful = set(part["iso3"][part["uncertain"]])
        row = {"programme": program}
        for code in codes:
            n = int(sites.get(code, 0))
            text = "—" if not n else "✓" if n == 1 else f"✓ {n} sites"
            row[names.get(code, code)] = (
                NOT_APPLICABLE if code in bodies else text + (" (uncertain)" if code in doubtful else "")
            )
        table.append(row)
    return pd.DataFrame(table, columns=["programme", *[names.get(c, c) for c in codes]])
