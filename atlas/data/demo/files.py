"""The demo rows as DataFrames (generate) or as CSV files in the import formats (write)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from atlas.data import formats
from atlas.data.demo.agreements import agreement_blocks
from atlas.data.demo.columns import Columns, to_table
from atlas.data.demo.dates import DEFAULT_TODAY
from atlas.data.demo.engagements import engagement_blocks


def _frame(blocks: Iterator[Columns], columns: tuple[str, ...]) -> pd.DataFrame:
    tables = [to_table(block) for block in blocks]
    if not tables:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    return pa.concat_tables(tables).to_pandas()


def generate(
    engagements: int, agreements: int, seed: int, today: date = DEFAULT_TODAY
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(engagements, agreements) frames in the import formats; every value a string, "" when empty."""
    if engagements < 0 or agreements < 0:
        raise ValueError("row counts must not be negative")
    eng = _frame(engagement_blocks(engagements, seed, today), formats.ENGAGEMENTS.columns)
    agr = _frame(agreement_blocks(agreements, seed, today), formats.AGREEMENTS.columns)
    return eng, agr


def _csv_bytes(columns: Columns) -> memoryview:
    """The rows as CSV lines (values quoted where needed, LF line ends), without copying into Python."""
    table = to_table(columns, csv_quoted=True)
    cells = [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in table.columns]
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, ","), "\n", "")
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset : lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[offsets[0] : offsets[-1]]


def _write_csv(path: Path, columns: tuple[str, ...], blocks: Iterator[Columns]) -> None:
    with path.open("wb") as handle:
        handle.write((",".join(columns) + "\n").encode("utf-8"))
        for block in blocks:
            handle.write(_csv_bytes(block))


def write(out_dir, engagements: int, agreements: int, seed: int, today: date = DEFAULT_TODAY) -> tuple[Path, Path]:
    """Write engagements.csv and agreements.csv (UTF-8, LF, header) to out_dir; the rows generate() returns.

    Engagements are streamed block by block, so ten million rows need only one block in memory.
    """
    if engagements < 0 or agreements < 0:
        raise ValueError("row counts must not be negative")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    eng_path, agr_path = out / "engagements.csv", out / "agreements.csv"
    _write_csv(eng_path, formats.ENGAGEMENTS.columns, engagement_blocks(engagements, seed, today))
    _write_csv(agr_path, formats.AGREEMENTS.columns, agreement_blocks(agreements, seed, today))
    return eng_path, agr_path
