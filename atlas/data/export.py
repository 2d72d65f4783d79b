"""Tables out of the app: CSV and .xlsx bytes with spreadsheet formulas neutralised, round-trip safe.

The rule (README, "Exports"): a text cell a spreadsheet would run as a formula - one starting with
= + - @ (or their fullwidth forms ＝ ＋ － ＠), also after leading spaces, or with a tab, CR or LF - gets
one leading apostrophe ('=1+1 -> '=1+1 shown as text), unless it is a plain number such as -5. A cell that
already starts with apostrophes before such text gets one more, so no two values export alike. The
import removes exactly that one apostrophe (`original_text`, or the SQL macro of the same name), so an
export imports back unchanged. CSV cells holding a comma, quote, CR or LF are quoted, lines end in CRLF.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

# Largest record exports the app builds in memory (on click): CSV up to a million rows (a few hundred MB
# at most), Excel up to 100,000 (openpyxl writes about 20,000 rows a second; the sheet limit is 1,048,576).
MAX_CSV_ROWS = 1_000_000
MAX_XLSX_ROWS = 100_000

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection); the
# fullwidth forms are read as formulas by spreadsheets in East Asian locales.
FORMULA_SIGNS = "=+-@＝＋－＠"
CONTROL_STARTS = "\t\r\n"
LEADING_SPACE = " \u00a0\u3000"  # skipped before a sign: ' =1+1' is still a formula in some readers
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def is_formula_like(value: str) -> bool:
    """True when a spreadsheet could run this text: '=1+1', ' @SUM(A1)', '\\rX', '＝1'; not '-5' or 'a=b'."""
    if not value or _NUMBER.fullmatch(value.strip(LEADING_SPACE + CONTROL_STARTS)):
        return False  # a negative number is data, not a formula
    head = value.lstrip(LEADING_SPACE)
    return value[0] in CONTROL_STARTS or (head != "" and head[0] in FORMULA_SIGNS)


def _needs_mark(value: str) -> bool:
    return is_formula_like(value.lstrip("'"))


def neutralised_text(value: str) -> str:
    """The text as exported: one apostrophe before text a spreadsheet would run (and before text that
    already starts with apostrophes ahead of such text, so the mark can be told from the data)."""
    return "'" + value if _needs_mark(value) else value


def original_text(value: str) -> str:
    """The inverse of neutralised_text, for the import: original_text(neutralised_text(v)) == v for every v."""
    return value[1:] if value.startswith("'") and _needs_mark(value[1:]) else value


def _neutralise(value: object) -> object:
    return neutralised_text(value) if isinstance(value, str) else value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells can no longer run as spreadsheet formulas: '=HYPERLINK(..)' -> "'=HYPERLINK(..)"."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_neutralise)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM, so Excel opens accented names correctly.

    Lines end in CRLF (RFC 4180), which also makes the writer quote every cell holding a CR: a bare CR
    left unquoted splits the row in most CSV readers.
    """
    buffer = io.StringIO()
    neutralise_formulas(frame).to_csv(buffer, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    safe = neutralise_formulas(frame)
    for column in safe.columns:
        # Excel has no time zones; drop them rather than fail.
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
