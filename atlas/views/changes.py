"""What changed since a date: new engagements, agreement status changes, newly engaged countries and
agreements expiring soon, from the records and the status history (no streamlit; `run` runs a named query).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pandas as pd

from atlas.data import vocab
from atlas.data.filters import Filters
from atlas.views.slide import Number, Slide, display_title

Runner = Callable[..., pd.DataFrame]
EXPIRING_SOON_DAYS = 90


@dataclasses.dataclass
class Changes:
    since: dt.date
    new_engagements: pd.DataFrame
    status_changes: pd.DataFrame
    new_countries: pd.DataFrame
    expiring: pd.DataFrame


def what_changed_jobs(f: Filters, since: dt.date, *, limit: int = 200) -> list[tuple[str, dict]]:
    """The queries behind 'what changed since', with their parameters (a page may run them ahead)."""
    since = min(since, f.today)
    return [
        ("new_engagements_since", {"since": since, "limit": limit}),
        ("status_changes", {"since": since, "limit": limit}),
        ("newly_engaged_countries", {"since": since, "lookback_start": since - dt.timedelta(days=365)}),
        ("renewals_due", {"horizon": f.today + dt.timedelta(days=EXPIRING_SOON_DAYS)}),
    ]


def what_changed(run: Runner, f: Filters, since: dt.date, *, limit: int = 200) -> Changes:
    """New engagements, agreement status changes, newly engaged countries and agreements expiring
    soon, all since `since` (computed from the records and the status history)."""
    frames = [run(name, f, **extra) for name, extra in what_changed_jobs(f, since, limit=limit)]
    return Changes(min(since, f.today), *frames)


def what_changed_slide(run: Runner, f: Filters, since: dt.date) -> Slide:
    c = what_changed(run, f, since)
    bullets = [
        f"{pd.Timestamp(r.changed_on):%d %b}: {display_title(r.title)} – "
        f"{vocab.label_of(vocab.AGREEMENT_STATUSES, r.previous_status) if isinstance(r.previous_status, str) else 'new'}"
        f" → {vocab.label_of(vocab.AGREEMENT_STATUSES, r.status)}"
        for r in c.status_changes.head(3).itertuples()
    ]
    bullets += [
        f"Newly engaged: {r.name} ({int(r.engagements)} since {pd.Timestamp(r.first_date):%d %b})"
        for r in c.new_countries.head(2).itertuples()
    ]
    return Slide(
        "changes",
        f"What changed since {c.since:%d %b %Y}",
        numbers=[
            Number("New engagements", f"{_total(c.new_engagements):,}"),
            Number("Agreement status changes", f"{_total(c.status_changes):,}"),
            Number("Newly engaged countries", f"{len(c.new_countries):,}"),
            Number(f"Expiring within {EXPIRING_SOON_DAYS} days", f"{len(c.expiring):,}"),
        ],
        bullets=bullets or ["No agreement status changes or newly engaged countries in this window."],
        sources="Engagement records; agreement status history (recorded on import)",
    )


def _total(frame: pd.DataFrame) -> int:
    """All matching rows, though the frame holds only the first few."""
    return int(frame["total"].iloc[0]) if len(frame) else 0
