"""Formatters for numbers, dates and long text as every page, slide and file shows them: one definition each."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def delta_text(current: float, previous: float | None, *, suffix: str = "") -> str | None:
    """'+12 (+8%)' against the previous period; None when there is nothing to compare.

    >>> delta_text(12, 10), delta_text(3, 0), delta_text(5, 5, suffix=" vs previous period")
    ('+2 (+20%)', '+3 (new)', 'no change vs previous period')
    """
    if previous is None or pd.isna(previous):
        return None
    change = current - previous
    if not change:
        return "no change" + suffix
    if previous == 0:
        return f"{change:+,.0f} (new)" + suffix
    return f"{change:+,.0f} ({change / previous:+.0%})" + suffix


def as_of_text(last_import: object) -> str:
    """'01 Dec 2026 14:05' for the latest import time, or 'not yet imported'."""
    if last_import is None or pd.isna(last_import):
        return "not yet imported"
    return f"{pd.Timestamp(last_import):%d %b %Y %H:%M}"


def day_text(day: dt.date) -> str:
    """'01 Dec 2026'."""
    return f"{day:%d %b %Y}"


def shorten(text: object, limit: int) -> str:
    """The text whole if it fits in `limit` characters, else cut at the last word boundary that fits, with '…'.

    >>> shorten("Memorandum of Understanding on Border Management", 30)
    'Memorandum of Understanding…'
    """
    words = " ".join(str("" if text is None else text).split())
    if len(words) <= limit:
        return words
    head = words[: limit - 1]  # room for the ellipsis
    if words[limit - 1] not in " ,;" and " " in head:  # cut inside a word: drop it
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:-·(") + "…"
