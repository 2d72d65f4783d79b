"""What changed since a date: new engagements, agreement status changes, newly engaged countries and
agreements expiring soon, from the records and the status history; and the records added or changed since a
moment, by when imports wrote them (no streamlit; `run` runs a named query).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable

import pandas as pd

from atlas.data import vocab
from atlas.data.filters import Filters
from atlas.views.slide import Number, Slide, counted, display_title

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


CHANGES = {"new": "New records", "status": "Status changed", "changed": "Changed records"}
RECORDS = {"engagement": "Engagement", "agreement": "Agreement"}


@dataclasses.dataclass
class Arrivals:
    """Records added or changed since `since_at`: the newest few of each change, exact counts of all."""

    since_at: dt.datetime
    records: pd.DataFrame  # records_changed_since: up to `limit` per record kind and change
    imports: pd.DataFrame  # imports_since

    def count(self, change: str, record: str | None = None) -> int:
        """Every record of this change (and kind), though `records` holds only the newest few."""
        totals = self._totals
        return sum(n for (c, r), n in totals.items() if c == change and (record is None or r == record))

    @functools.cached_property
    def _totals(self) -> dict[tuple[str, str], int]:
        """(change, record kind) -> its total, each row of a kind and change carrying the same total."""
        if self.records.empty:
            return {}
        firsts = self.records.drop_duplicates(["change", "record"])
        return {(c, r): int(n) for c, r, n in zip(firsts["change"], firsts["record"], firsts["total"], strict=True)}

    def listed(self, change: str) -> pd.DataFrame:
        """The records of one change, newest write first, engagements and agreements together."""
        part = self.records[self.records["change"] == change]
        return part.sort_values(["updated_at", "record_id"], ascending=[False, True]).reset_index(drop=True)


def arrivals_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Records added or changed, for a table: kind and status in words, the status change as 'before → now'."""

    def status(record: str, code: object) -> str:
        pairs = vocab.AGREEMENT_STATUSES if record == "agreement" else vocab.ENGAGEMENT_STATUSES
        return vocab.label_of(pairs, code) if isinstance(code, str) else ""

    out = frame.copy()
    out["status_change"] = [
        f"{status(r, b)} → {status(r, s)}" if isinstance(b, str) else status(r, s)
        for r, b, s in zip(out["record"], out["status_before"], out["status"])
    ]
    out["status"] = [status(r, s) for r, s in zip(out["record"], out["status"])]
    out["record"] = out["record"].map(RECORDS)
    return out


def arrivals_jobs(since_at: dt.datetime, *, limit: int = 200) -> list[tuple[str, dict]]:
    """The queries behind 'added or changed since', with their parameters (a page may run them ahead)."""
    return [
        ("records_changed_since", {"since_at": since_at, "limit": limit}),
        ("imports_since", {"since_at": since_at}),
    ]


def added_or_changed(run: Runner, f: Filters, since_at: dt.datetime, *, limit: int = 200) -> Arrivals:
    """The records imports created or changed at or after `since_at` (whatever their own dates), and the imports."""
    records, imports = (run(name, f, **extra) for name, extra in arrivals_jobs(since_at, limit=limit))
    return Arrivals(since_at, records, imports)


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
        note=counted(None, "total"),
    )


def _total(frame: pd.DataFrame) -> int:
    """All matching rows, though the frame holds only the first few."""
    return int(frame["total"].iloc[0]) if len(frame) else 0
