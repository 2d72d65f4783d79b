"""Small numeric and text helpers the benchmark's figures, targets and report share."""

from __future__ import annotations

import statistics
from pathlib import Path


def median(values) -> float:
    """Median of the values that are not None; NaN when there are none."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def p95(values) -> float:
    """95th percentile (linear interpolation) of the values that are not None; NaN when there are none."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return float("nan")
    k = (len(values) - 1) * 0.95
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def human(n: int) -> str:
    """10000 -> "10k", 1000000 -> "1M"."""
    return (
        f"{n // 1_000_000}M"
        if n >= 1_000_000 and n % 1_000_000 == 0
        else (f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n))
    )


def fmt(v, digits: int = 0, suffix: str = "") -> str:
    """A figure with thousands separators; "–" for a missing one."""
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    return f"{v:,.{digits}f}{suffix}"


def page_name(page: str) -> str:
    """dashboard.py -> Overview, pages/2_Map.py -> Map."""
    return "Overview" if page == "dashboard.py" else Path(page).stem.split("_", 1)[-1].replace("_", " ")
