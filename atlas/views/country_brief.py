"""A printable country brief for a principal's bilateral meeting: one or two A4 pages with a text layer.

Headline numbers and trend, agreements with status and next renewal, recent and upcoming engagements,
programmes present with their sources, the region comparison and a small locator map; the demo label and the
sensitivity level on every page. No streamlit: `run(name, filters, **extra)` runs the named queries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable
from urllib.parse import urlparse
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from atlas.data import vocab
from atlas.data.filters import Filters
from atlas.views import flatmap, pdfchart
from atlas.views.briefing import monthly_chart
from atlas.views.format import delta_text
from atlas.views.pdf import fonts
from atlas.views.slide import display_title, partner_names

Runner = Callable[..., pd.DataFrame]
INK, GREY, RULE = colors.HexColor("#1b2a4a"), colors.HexColor("#5a6478"), colors.HexColor("#c9d1de")
SOURCES = "Engagement and agreement records (import log); programme sources as listed; boundaries: Natural Earth"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9, textColor=GREY),
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=20, leading=24),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=11.5, leading=14, spaceBefore=7, spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=9.5),
        "num": ParagraphStyle("num", parent=base, fontName=bold, fontSize=17, leading=20),
        "badge": ParagraphStyle("badge", parent=base, fontName=bold, fontSize=9, textColor=colors.HexColor("#9a3412")),
    }


def _table(rows: list[list[str]], widths: list[float], s: dict) -> Table:
    cells = [[Paragraph(escape(str(v)), s["cell"]) for v in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("FONTNAME", (0, 0), (-1, 0), fonts()[1]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    for i in range(len(rows[0])):
        cells[0][i].style = ParagraphStyle("head", parent=s["cell"], fontName=fonts()[1])
    return table


def _sources(group: pd.DataFrame) -> str:
    """'dhs.gov, cbp.gov (2026-03-12)': the sites cited for a programme and the latest date a source is as of."""
    hosts = []
    for cell in group.source_url.dropna():
        for url in str(cell).split(" ; "):
            host = urlparse(url.strip()).netloc.removeprefix("www.")
            if host and host not in hosts:
                hosts.append(host)
    dates = sorted(d for x in group.source_as_of.dropna() for d in re.findall(r"\d{4}-\d{2}-\d{2}", str(x)))
    text = ", ".join(hosts[:3]) + (f" and {len(hosts) - 3} more" if len(hosts) > 3 else "")
    return (text or "—") + (f" ({dates[-1]})" if dates else "")


def _day(value) -> str:
    return f"{pd.Timestamp(value):%d %b %Y}" if value is not None and pd.notna(value) else "—"


def build(run: Runner, f: Filters, iso3: str, *, as_of: str = "", today: dt.date | None = None) -> bytes:
    """The brief on `iso3` for filters `f` (period, areas, component, types; the country replaces the sidebar's
    countries) as PDF bytes."""
    s = _styles()
    today = today or f.today
    view = dataclasses.replace(f, countries=(iso3,), regions=())
    p = run("country_profile", view, iso3=iso3).iloc[0]
    monthly = run("country_monthly_activity", view, iso3=iso3)
    agreements = run("agreements_list", view, search="")
    # Recent: the period up to today (a period reaching past today would list planned engagements as recent, and
    # again as upcoming); upcoming: the next 12 months, whatever the period.
    recent = run("recent_engagements", dataclasses.replace(view, end=min(view.end, today)), limit=8)
    upcoming = run(
        "recent_engagements",
        dataclasses.replace(view, start=today + dt.timedelta(days=1), end=today + dt.timedelta(days=365)),
        limit=200,
    )
    upcoming = upcoming.sort_values("start_date").head(6)
    programmes = run("country_programs", iso3=iso3)
    region = run("region_comparison", view, iso3=iso3)
    demo = (
        int(p.demo or 0) > 0
        or bool(agreements.get("is_demo", pd.Series(dtype=bool)).any())
        or bool(recent.get("is_demo", pd.Series(dtype=bool)).any())
        or bool(upcoming.get("is_demo", pd.Series(dtype=bool)).any())
    )
    sensitivity = vocab.SENSITIVITIES[min(f.max_rank, len(vocab.SENSITIVITIES) - 1)][1]
    stamp = (
        f"Filters: {view.describe()} · Data as of {as_of or '—'} · Sensitivity: up to {sensitivity}"
        + (" · DEMO DATA – generated records, not real activity" if demo else "")
        + f" · Sources: {SOURCES}"
    )

    shown = monthly[monthly.engagements > 0]
    # Drawn here, not in a browser: the trend as vector graphics with real text, the locator by Pillow.
    trend = monthly_chart(shown, f, "column", vocab.MISSION_AREA_COLOURS) if len(shown) else None
    locator = flatmap.png(
        flatmap.MapPicture(fills={iso3: "#D55E00"}, dots=[(float(p.lon), float(p.lat), "#D55E00")]),
        840,
        480,
        flatmap.MapStyle(land="#d5dbe3", border="#ffffff", font_px=20),
    )

    story: list = []
    where = " · ".join(x for x in (p.region, p.subregion) if isinstance(x, str) and x)
    story.append(Paragraph(f"Country brief: {escape(str(p['name']))}", s["h1"]))
    story.append(
        Paragraph(
            escape(
                f"{where} · prepared {today:%d %b %Y} for a bilateral meeting · period "
                f"{f.start:%d %b %Y} – {f.end:%d %b %Y}"
            ),
            s["body"],
        )
    )
    marks = [f"Sensitivity: up to {sensitivity}"] + (
        ["DEMO DATA – generated records, not real activity"] if demo else []
    )
    story.append(Paragraph(escape(" · ".join(marks)), s["badge"]))
    story.append(Spacer(1, 4))

    numbers = [
        (f"{int(p.engagements):,}", "Engagements", delta_text(p.engagements, p.prev_engagements)),
        (f"{int(p.participants):,}", "Participants", None),
        (f"{int(p.in_force or 0):,}", "Agreements in force", None),
        (f"{int(p.negotiation or 0):,}", "In negotiation", None),
        # programmes, not sites (ten Preclearance airports are one programme), as on the Country profile
        (f"{programmes[programmes.is_current].program.nunique():,}", "Programmes present", None),
    ]
    tiles = Table(
        [
            [Paragraph(v, s["num"]) for v, _, _ in numbers],
            [
                Paragraph(escape(label + (f" ({d} vs previous period)" if d else "")), s["cell"])
                for _, label, d in numbers
            ],
        ],
        colWidths=[36 * mm] * 5,
    )
    tiles.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eef2f8")),
                ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(tiles)

    story.append(Paragraph("Trend and location", s["h2"]))
    place = Image(io.BytesIO(locator), width=58 * mm, height=33 * mm)
    if trend is not None:
        ink = pdfchart.Ink(text="#1b2a4a", grid="#e3e8ef", font=fonts()[0], size=6.5)
        row = Table([[pdfchart.ChartFlowable(trend, 116 * mm, 46 * mm, ink), place]], colWidths=[120 * mm, 60 * mm])
    else:
        row = Table([[Paragraph("No engagements in the period.", s["body"]), place]], colWidths=[120 * mm, 60 * mm])
    row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(row)

    story.append(Paragraph("Agreements", s["h2"]))
    due = agreements[
        (agreements.status == "in_force") & agreements.date_expires.notna() & (agreements.days_to_expiry >= 0)
    ].sort_values("date_expires")
    if len(due):
        first = due.iloc[0]
        story.append(
            Paragraph(
                escape(
                    f"Next renewal: {display_title(first.title)} expires {_day(first.date_expires)} "
                    f"({int(first.days_to_expiry)} days)."
                ),
                s["body"],
            )
        )
    if len(agreements):
        rows = [["Agreement", "Partners", "Status", "In force", "Expires"]]
        for r in agreements.head(10).itertuples():
            rows.append(
                [
                    display_title(r.title),
                    partner_names(r.partners, 3) or "—",
                    vocab.label_of(vocab.AGREEMENT_STATUSES, r.status),
                    _day(r.date_in_force),
                    _day(r.date_expires),
                ]
            )
        story.append(_table(rows, [70 * mm, 42 * mm, 22 * mm, 22 * mm, 22 * mm], s))
        if len(agreements) > 10:
            story.append(Paragraph(f"… and {len(agreements) - 10} more on the Country profile.", s["small"]))
    else:
        story.append(Paragraph("No agreements with these filters.", s["body"]))

    story.append(Paragraph("Engagements: recent and upcoming", s["h2"]))
    rows = [["Date", "Engagement", "Mission area", "Type", "Status"]]
    for label, frame in (("", recent), ("upcoming", upcoming)):
        for r in frame.itertuples():
            rows.append(
                [
                    _day(r.start_date),
                    r.title,
                    vocab.mission_area_label(r.mission_area),
                    vocab.label_of(vocab.ENGAGEMENT_TYPES, r.engagement_type),
                    "Upcoming" if label else vocab.label_of(vocab.ENGAGEMENT_STATUSES, r.status),
                ]
            )
    story.append(
        _table(rows, [22 * mm, 74 * mm, 34 * mm, 28 * mm, 20 * mm], s)
        if len(rows) > 1
        else Paragraph("No engagements in the period.", s["body"])
    )

    story.append(Paragraph("Programmes present", s["h2"]))
    current = programmes[programmes.is_current]
    if len(current):
        # One row per programme: its sites and where the record comes from (site, dated), not every citation.
        rows = [["Programme", "Sites", "Sources (as of)"]]
        for name, group in current.groupby("program", sort=False):
            places = [str(x) for x in group.place if isinstance(x, str) and x and not x.startswith("(")]
            sites = (
                f"{len(group)}: " + ", ".join(places[:4]) + (f" and {len(places) - 4} more" if len(places) > 4 else "")
            )
            rows.append([name, sites if places else str(len(group)), _sources(group)])
        story.append(_table(rows, [48 * mm, 80 * mm, 52 * mm], s))
    else:
        story.append(Paragraph("No current programme sites or memberships on record.", s["body"]))
    former = programmes[~programmes.is_current]
    if len(former):
        story.append(Paragraph(escape("Not current: " + ", ".join(former.program.unique())), s["small"]))

    story.append(Paragraph(f"Compared with {escape(str(p.region or 'its region'))}", s["h2"]))
    # The region's total counts an engagement with several of its countries once.
    total = int(region.region_engagements.iloc[0]) if len(region) else 0
    engaged = int((region.engagements > 0).sum())
    mine = region[region.selected]
    if int(p.engagements) and len(mine):
        story.append(
            Paragraph(
                escape(
                    f"Rank {int(mine['rank'].iloc[0])} of {engaged} partner countries in the region; "
                    f"{int(p.engagements) / total:.0%} of the region's {total:,} engagements."
                ),
                s["body"],
            )
        )
    rows = [["Rank", "Country", "Engagements"]] + [
        [str(int(r.rank)), r.name, f"{int(r.engagements):,}"] for r in region.head(5).itertuples()
    ]
    story.append(_table(rows, [14 * mm, 60 * mm, 26 * mm], s))

    def stamp_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(fonts()[0], 6.5)
        canvas.setFillColor(GREY)
        for i, line in enumerate(simpleSplit(stamp, fonts()[0], 6.5, A4[0] - 30 * mm)[:3]):
            canvas.drawString(15 * mm, 12 * mm - i * 8, line)
        canvas.drawRightString(
            A4[0] - 15 * mm,
            A4[1] - 10 * mm,
            f"Partner Atlas · {sensitivity}" + (" · DEMO" if demo else "") + f" · page {doc.page}",
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=22 * mm,
        title=f"Country brief: {p['name']}",
        author="Partner Atlas",
    )
    doc.build(story, onFirstPage=stamp_page, onLaterPages=stamp_page)
    return buffer.getvalue()
