"""The watchlist's rules: partners gone quiet, partners whose engagement fell, agreements expiring within
their notice period with no renewal in negotiation. Thresholds in, rows and the rule in words out."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from atlas.views.format import day_text

QUIET_MONTHS = 6  # no engagement in the last N months ...
DROP_PERCENT = 50  # ... or more than X% fewer than in the N months before ...
MIN_PREVIOUS = 5  # ... counted only for partners with at least this many then
NOTICE_DAYS = 180  # the data has no notice period per agreement: one for all, shown and adjustable


def window_start(today: dt.date, months: int) -> dt.date:
    """First day of the last `months` months up to and including today: 30 Nov 2026, 6 -> 31 May 2026."""
    return (pd.Timestamp(today) - pd.DateOffset(months=months) + pd.Timedelta(days=1)).date()


def previous_window(since: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period of equal length just before [since, today]."""
    days = (today - since).days + 1
    return since - dt.timedelta(days=days), since - dt.timedelta(days=1)


def quiet_rule(since: dt.date, today: dt.date, months: int) -> str:
    return (
        f"Partner countries with an agreement in force today and no engagement from {day_text(since)} to "
        f"{day_text(today)} (the last {months} month{'s' if months != 1 else ''}). Cancelled engagements do "
        "not count; an agreement with several partners counts for each of them."
    )


def fall_rule(since: dt.date, today: dt.date, drop_percent: int, min_previous: int) -> str:
    lo, hi = previous_window(since, today)
    return (
        f"Partner countries with more than {drop_percent}% fewer engagements from {day_text(since)} to "
        f"{day_text(today)} than in the period of equal length before ({day_text(lo)} to {day_text(hi)}), "
        f"among those with at least {min_previous} engagement{'s' if min_previous != 1 else ''} then."
    )


def renewal_rule(today: dt.date, notice_days: int) -> str:
    return (
        f"Agreements in force that expire within the notice period ({notice_days} days: by "
        f"{day_text(today + dt.timedelta(days=notice_days))}) while no renewal is in negotiation: no other "
        "agreement with the same partner countries and mission area is in negotiation now. The records hold "
        "no notice period of their own, so one period applies to all."
    )


def fallen(change: pd.DataFrame, *, drop_percent: float, min_previous: int) -> pd.DataFrame:
    """Rows of queries/partner_activity_change.sql whose engagements fell by more than `drop_percent`
    against at least `min_previous` before, the largest fall first, with the change as a fraction."""
    rows = change[change["previous"] >= max(min_previous, 1)].copy()
    rows["change"] = (rows["recent"] - rows["previous"]) / rows["previous"]
    rows = rows[rows["change"] < -drop_percent / 100]
    return rows.sort_values(["change", "previous", "name"], ascending=[True, False, True]).reset_index(drop=True)


def quiet(partners: pd.DataFrame) -> pd.DataFrame:
    """Rows of queries/quiet_partners.sql with the last engagement's month in words."""
    rows = partners.copy()
    rows["last_engaged"] = [f"{pd.Timestamp(m):%b %Y}" if pd.notna(m) else "none on record" for m in rows["last_month"]]
    return rows


def unrenewed(due: pd.DataFrame, notice_days: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of queries/renewals_at_risk.sql split into (no renewal in negotiation, renewal in negotiation),
    each with the day its notice period began."""
    rows = due.assign(
        notice_from=[(pd.Timestamp(d) - pd.Timedelta(days=notice_days)).date() for d in due["date_expires"]]
    )
    missing = rows["renewal"].isna()
    return rows[missing].reset_index(drop=True), rows[~missing].reset_index(drop=True)
