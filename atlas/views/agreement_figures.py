"""Text for the agreement charts beside atlas.views.figures: row labels that read. Plain functions: no streamlit."""

from __future__ import annotations

import html
import re

from atlas.views.format import shorten

# Demo titles end in their parties' ISO codes, "(USA-BLZ-CRI)"; the row names the partners already.
_PARTY_CODES = re.compile(r"\s*\((?:[A-Z]{3}-)+[A-Z]{3}\)\s*$")


def row_label(title: object, partners: object, limit: int) -> str:
    """A timeline row's label: the title (without trailing party codes) over the partner names, each line
    shortened at a word to `limit` characters, escaped for plotly."""
    name = _PARTY_CODES.sub("", " ".join(str("" if title is None else title).split())) or str(title)
    lines = [html.escape(shorten(name, limit))]
    if partners is not None and str(partners).strip() and str(partners) != "nan":
        lines.append(html.escape(shorten(partners, limit)))
    return "<br>".join(lines)
