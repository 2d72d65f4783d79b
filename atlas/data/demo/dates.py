"""The demo's calendar: which days engagements start on (growth, the 2020 dip, holidays, weekends)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np

DEFAULT_TODAY = date(2026, 11, 30)
FIRST_DAY = date(2019, 1, 1)
HORIZON_DAYS = 121  # planned engagements reach this far past today (~4 months)


def _date_strings(first: date, days: int) -> tuple[str, ...]:
    base = np.datetime64(first.isoformat(), "D")
    return tuple(np.datetime_as_string(base + np.arange(days), unit="D").tolist())


def _day_weights(today: date) -> np.ndarray:
    """Relative chance of an engagement starting on each day from FIRST_DAY to today + HORIZON_DAYS."""
    start = np.datetime64(FIRST_DAY.isoformat(), "D")
    today64 = np.datetime64(today.isoformat(), "D")
    days = np.arange(start, today64 + np.timedelta64(HORIZON_DAYS + 1, "D"))
    years = (days - start).astype(np.float64) / 365.25
    weight = 1.13**years  # steady growth
    month = days.astype("datetime64[M]")
    covid = {
        "2020-03": 0.6,
        "2020-04": 0.2,
        "2020-05": 0.2,
        "2020-06": 0.25,
        "2020-07": 0.3,
        "2020-08": 0.3,
        "2020-09": 0.35,
        "2020-10": 0.4,
        "2020-11": 0.4,
        "2020-12": 0.4,
        "2021-01": 0.5,
        "2021-02": 0.5,
        "2021-03": 0.55,
        "2021-04": 0.6,
        "2021-05": 0.65,
        "2021-06": 0.7,
        "2021-07": 0.8,
        "2021-08": 0.8,
        "2021-09": 0.85,
        "2021-10": 0.85,
        "2021-11": 0.9,
        "2021-12": 0.9,
    }
    for key, factor in covid.items():
        weight[month == np.datetime64(key, "M")] *= factor
    month_of_year = (month.astype(np.int64) % 12) + 1
    weight[month_of_year == 8] *= 0.75  # August
    weight[month_of_year == 12] *= 0.75  # December holidays
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    weight[weekday >= 5] *= 0.1
    ahead = (days - today64).astype(np.float64)
    future = ahead > 0
    weight[future] *= 0.9 * np.exp(-ahead[future] / 100.0)  # the pipeline thins out further ahead
    return weight


@lru_cache(maxsize=4)
def start_calendar(today: date) -> tuple[np.ndarray, tuple[str, ...], int]:
    """(start-day CDF, date strings covering starts and ends, index of today)."""
    weight = _day_weights(today)
    cdf = np.cumsum(weight / weight.sum())
    cdf[-1] = 1.0
    dates = _date_strings(FIRST_DAY, len(weight) + 11) + ("",)
    return cdf, dates, (today - FIRST_DAY).days
