"""Tables out of the app: CSV and .xlsx bytes with spreadsheet formulas neutralised."""
from __future__ import annotations

import io

import pandas as pd

# Largest record exports the app builds in memory (on click): CSV up to a million rows (a few hundred MB
# at most), Excel up to 100,000 (openpyxl writes about 20,000 rows a second; the sheet limit is 1,048,576).
MAX_CSV_ROWS = 1_000_000
MAX_XLSX_ROWS = 100_000

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
            return value  # a negative number is data, not a formula
        except ValueError:
            return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells can no longer run as spreadsheet formulas: '=HYPERLINK(..)' -> "'=HYPERLINK(..)"."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_neutralise)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM, so Excel opens accented names correctly."""
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8-sig")


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
