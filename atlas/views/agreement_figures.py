"""Helpers for the agreement charts that sit beside atlas.figures. Plain functions: no streamlit, no queries."""
from __future__ import annotations

import re

import pandas as pd

# figures.lifecycle_gantt cuts titles to this length and draws one row per (cut) title.
GANTT_TITLE_LIMIT = 48
_TRAILING_PARENS = re.compile(r"\s*(\([^()]{1,20}\))\s*$")


def timeline_rows(agreements: pd.DataFrame, *, limit: int = GANTT_TITLE_LIMIT) -> pd.DataFrame:
    """The agreements with titles short enough and distinct, so each gets its own row on the lifecycle timeline.

    Two agreements whose titles share their first `limit` characters (or are equal) would otherwise be drawn on
    one row. A long title keeps its end, where the partners usually are; equal ones get their agreement id:
    'Memorandum of Understanding on Border Management and Training (USA-MEX)' ->
    'Memorandum of Understanding on Border… (USA-MEX)'.
    """
    out = agreements.copy()
    short = [_fit(t, limit) for t in out["title"]]
    counts = pd.Series(short).value_counts()
    out["title"] = [s if counts[s] == 1 else f"{_fit(t, limit - len(str(i)) - 3)} · {i}"
                    for s, t, i in zip(short, out["title"], out["agreement_id"])]
    return out


def _fit(title: object, limit: int) -> str:
    text = " ".join(str(title if title is not None else "").split())
    if len(text) <= limit:
        return text
    match = _TRAILING_PARENS.search(text)
    tail = f" {match.group(1)}" if match else ""
    return text[: max(limit - len(tail) - 1, 1)].rstrip() + "…" + tail
