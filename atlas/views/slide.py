"""What a briefing slide holds (numbers, a chart and its data, bullets, sources) and the deck of them.

No streamlit, no queries: the slides are filled in by atlas.views.briefing and drawn by the wall screen
(pages/6_Briefing.py), the .pptx (atlas.views.deck) and the .pdf (atlas.views.pdf).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from atlas.data import vocab
from atlas.views.flatmap import MapPicture

# Trailing party codes on demo agreement titles: "... on Cargo (USA-BLZ-CRI-GTM)".
_CODES = re.compile(r"\s*\((?:[A-Z]{3})(?:[-–][A-Z]{3})+\)\s*$")
FOOTER_LIMIT = 110


@dataclass
class Number:
    label: str
    value: str
    delta: str | None = None


@dataclass
class Chart:
    """A chart's numbers, for a native (editable) PowerPoint chart: kind is "bar" (horizontal, stacked),
    "column" (stacked) or "line"; categories run bottom to top for bars, left to right otherwise."""

    kind: str
    categories: list[str]
    series: list[tuple[str, list[float]]]
    colours: list[str] = field(default_factory=list)
    axis_title: str = ""


@dataclass
class Slide:
    key: str
    title: str
    numbers: list[Number] = field(default_factory=list)
    figure: go.Figure | None = None
    chart: Chart | None = None
    map: MapPicture | None = None  # the map for the files, drawn without a browser
    bullets: list[str] = field(default_factory=list)
    sources: str = "Engagement and agreement records (import log)"
    note: str | None = None


@dataclass
class Deck:
    """The slides in order; each is built when first shown, so a filter change costs one slide's queries."""

    builders: list[Callable[[], Slide]]
    filters_text: str
    as_of: str
    demo: bool
    keys: list[str] = field(default_factory=list)
    filters_brief: str = (
        ""  # the filters with long choices shortened (Filters.describe(brief=True)); "": as filters_text
    )
    _built: dict[int, Slide] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.builders)

    def slide(self, index: int) -> Slide:
        if index not in self._built:
            self._built[index] = self.builders[index]()
        return self._built[index]

    @property
    def slides(self) -> list[Slide]:
        return [self.slide(i) for i in range(len(self))]

    def footer(self, slide: Slide) -> str:
        """Everything a page or speaker note must state: filters, as-of, sources, the demo notice."""
        parts = [f"Filters: {self.filters_text}", f"Data as of {self.as_of}", f"Sources: {slide.sources}"]
        if self.demo:
            parts.append("DEMO DATA – generated records, not real activity")
        return "  ·  ".join(parts)

    def footer_line(self) -> str:
        """The wall screen's one quiet line: filters and as-of (sources are in the notes and files)."""
        filters = self.filters_brief or self.filters_text
        room = FOOTER_LIMIT - len(self.as_of) - 25
        if len(filters) > room:
            filters = filters[: room - 1].rstrip(" ·,") + "…"
        return f"Filters: {filters} · Data as of {self.as_of}"


DIGIT_EM = 0.6  # the widest a character of a tile's value (bold digits, comma, sign, %) is, in ems, with some room


def fit_size(value: str, usual: float, room: float) -> float:
    """The font size for a tile's value: `usual`, or smaller so that the value ('167,645') fits `room` (same unit
    as the size) on one line."""
    return min(usual, room / (DIGIT_EM * max(len(value), 1)))


def counted(note: str | None, counting: str, noun: str = "engagement") -> str:
    """A slide's note ending with how its numbers count records with several partners (vocab.COUNTING), as every
    page of the app says it: the wall, the deck and the PDF all show the note."""
    sentence = vocab.counting_note(counting, noun)
    return f"{note} {sentence}" if note else sentence


def display_title(title: str) -> str:
    """A title without trailing party codes: 'MoU on Cargo (USA-BLZ-CRI)' -> 'MoU on Cargo'."""
    return _CODES.sub("", str(title)).strip()


def partner_names(partners: object, limit: int = 2) -> str:
    """'Belize, Costa Rica and 4 more' from the '; '-separated partner names (the United States left out)."""
    names = [p.strip() for p in str(partners or "").split(";") if p.strip() and p.strip() != "United States"]
    if len(names) <= limit:
        return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def partial_month(today: dt.date) -> pd.Timestamp | None:
    """The first day of today's month when that month is not over yet (its numbers are month to date)."""
    if (today + dt.timedelta(days=1)).month == today.month:
        return pd.Timestamp(today.replace(day=1))
    return None


def month_label(month: object, today: dt.date, start: dt.date | None = None) -> str:
    """'Nov 2026', 'Nov 2026 (to date)' for the month still running, 'Dec 2025 (from 3)' for the month the
    period `start`s in after its first day (both hatched on the pages)."""
    stamp = pd.Timestamp(month)
    partial = partial_month(today)
    if partial is not None and stamp == partial:
        return f"{stamp:%b %Y} (to date)"
    if start is not None and start.day > 1 and stamp == pd.Timestamp(start).to_period("M").start_time:
        return f"{stamp:%b %Y} (from {start.day})"
    return f"{stamp:%b %Y}"
