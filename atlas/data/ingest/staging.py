"""Read an import file into the staging table `stage`: one text column per format column, plus its line.

Two readers fill it with the same rows: Arrow's multi-threaded CSV reader for plain CSV files (the fast path),
and atlas.data.readers row by row for everything else. tests/test_staging.py holds them to the same result.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from atlas.data import schema
from atlas.data.formats import FileFormat
from atlas.data.ingest.result import ImportResult
from atlas.data.readers import (
    MAX_COLUMNS,
    MAX_FIELD_CHARS,
    SUFFIXES,
    FileProblem,
    blank_rows,
    normalise_header,
    open_table,
    pick_delimiter,
    sniff_encoding_problem,
)

PLAIN_BLOCK = 16 << 20  # bytes Arrow parses at a time, and the size of the blocks the line count reads
NO_DATA = "the file has a header but no data rows"


class MissingColumns(FileProblem):
    """The header lacks required columns: every one of them is reported, not just the first."""

    def __init__(self, missing: list[str]):
        super().__init__(1, "missing required column", column=missing[0])
        self.missing = missing


class _NotPlain(Exception):
    """The file is readable, but not by the fast path."""


def stage(con, path: Path, fmt: FileFormat, result: ImportResult) -> None:
    """Stage the file by the fast path when it is a plain CSV, else row by row; raises FileProblem."""
    if not stage_plain_csv(con, path, fmt, result):
        stage_rows(con, path, fmt, result)
    unmark_formulas(con, fmt)


def _macro(name: str) -> str:
    """The statement of macros.sql defining `name`, as a session (TEMP) macro: a dry run may read a file of an
    older version, whose own macros lack it."""
    text = schema.MACROS_SQL.read_text(encoding="utf-8")
    start = text.index(f"CREATE OR REPLACE MACRO {name}(")
    return text[start : text.index(";", start) + 1].replace("CREATE OR REPLACE MACRO", "CREATE OR REPLACE TEMP MACRO")


def unmark_formulas(con, fmt: FileFormat) -> None:
    """Take away the one apostrophe an export put before formula-like text (atlas.data.export), so that an
    export imports back unchanged; every other value is left exactly as typed."""
    con.execute(_macro("formula_like") + "\n" + _macro("original_text"))
    for column in fmt.columns:
        con.execute(f"UPDATE stage SET {column} = original_text({column}) WHERE starts_with({column}, chr(39))")


def positions(header: list[str], fmt: FileFormat, result: ImportResult) -> dict[str, int]:
    """Where each column of the format is in the file's header; raises FileProblem for a bad header."""
    names = [normalise_header(h) for h in header]
    seen: set[str] = set()
    for name in names:
        if name and name in seen and name in fmt.columns:
            raise FileProblem(1, "the column appears more than once", column=name)
        seen.add(name)
    missing = [c for c in fmt.required if c not in names]
    if missing:
        raise MissingColumns(missing)
    result.ignored_columns = [h for h, n in zip(header, names) if n not in fmt.columns and str(h).strip()]
    return {c: names.index(c) for c in fmt.columns if c in names}


def _create_stage(con, fmt: FileFormat) -> None:
    columns_sql = ", ".join(f"{c} VARCHAR" for c in fmt.columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE stage (line BIGINT, {columns_sql})")


# --- row by row: any file atlas.data.readers reads -------------------------------------------------


def stage_rows(con, path: Path, fmt: FileFormat, result: ImportResult) -> None:
    """Stage any readable file (.csv, .xlsx, .parquet) through atlas.data.readers; raises FileProblem."""
    table = open_table(path)
    at = positions(table.header, fmt, result)
    _create_stage(con, fmt)
    for chunk in table.chunks:
        data: dict[str, list] = {"line": chunk.lines}
        for column in fmt.columns:
            i = at.get(column)
            data[column] = [row[i] for row in chunk.rows] if i is not None else [""] * len(chunk.rows)
        con.register("chunk_frame", pd.DataFrame(data))
        con.execute("INSERT INTO stage SELECT * FROM chunk_frame")
        con.unregister("chunk_frame")
        result.rows_read += len(chunk.lines)
    if result.rows_read == 0:
        raise FileProblem(1, NO_DATA)


# --- the fast path for plain CSV files ----------------------------------------------------------------
# A CSV file with one record per line (no line breaks inside quoted values, no empty lines, no bare CR
# line ends) is parsed by Arrow's multi-threaded CSV reader, in blocks, to exactly the text values the
# row-by-row reader would give, with the same line numbers. Anything else, or anything Arrow objects to
# (a short or long row, bad UTF-8, an unterminated quote, an over-long value), sends the file down the
# row-by-row path, which reads it again and reports its problems in the usual words.


def plain_line_count(path: Path, block_size: int = PLAIN_BLOCK) -> int | None:
    """Physical lines of the file, or None when it has bare CR line ends (which Arrow would not count)."""
    import numpy as np

    newlines = crs = crlfs = 0
    last = b""
    with path.open("rb") as f:
        while block := f.read(block_size):
            codes = np.frombuffer(block, dtype=np.uint8)
            newlines += int(np.count_nonzero(codes == 0x0A))
            cr = int(np.count_nonzero(codes == 0x0D))
            if cr or last == b"\r":
                crs += cr
                crlfs += (last + block).count(b"\r\n")
            last = block[-1:]
    if crs != crlfs:
        return None
    return newlines + (0 if last == b"\n" or not last else 1)


def stage_plain_csv(con, path: Path, fmt: FileFormat, result: ImportResult, *, block_size: int = PLAIN_BLOCK) -> bool:
    """Stage a plain CSV file through Arrow; False (nothing staged) when the file is not plain."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    if SUFFIXES.get(path.suffix.lower()) != "csv" or not path.is_file() or path.stat().st_size == 0:
        return False
    with path.open("rb") as f:
        if sniff_encoding_problem(f.read(65536)):
            return False
    lines = plain_line_count(path, block_size)
    if lines is None:
        return False
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as stream:
            first = stream.readline()
    except UnicodeDecodeError:
        return False
    if first.count('"') % 2:
        return False  # a quoted line break in the header
    delimiter = pick_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter), [])
    if not header or len(header) > MAX_COLUMNS:
        return False
    at = positions(header, fmt, result)  # the same header checks and problems as the row-by-row path
    names = [f"f{i}" for i in range(len(header))]
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=block_size, use_threads=True),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                check_utf8=True,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, OSError):
        return False
    select = ", ".join(f"f{at[c]}" if c in at else "''" for c in fmt.columns)
    _create_stage(con, fmt)
    next_line, rows_read = 2, 0
    try:
        for batch in reader:
            n = batch.num_rows
            if n == 0:
                continue
            for column in batch.columns:
                if pc.max(pc.utf8_length(column)).as_py() > MAX_FIELD_CHARS:
                    raise _NotPlain
            table = pa.Table.from_batches([batch]).append_column(
                "line", pa.array(np.arange(next_line, next_line + n, dtype=np.int64))
            )
            blank = blank_rows(batch.columns)
            if blank is not None:
                table = table.filter(pc.invert(blank))
            con.register("plain_chunk", table)
            con.execute(f"INSERT INTO stage SELECT line, {select} FROM plain_chunk")
            con.unregister("plain_chunk")
            next_line += n
            rows_read += table.num_rows
    except (pa.ArrowException, OSError, _NotPlain):
        con.execute("DROP TABLE IF EXISTS stage")
        return False
    if next_line - 1 != lines:
        con.execute("DROP TABLE IF EXISTS stage")
        return False
    if rows_read == 0:
        raise FileProblem(1, NO_DATA)
    result.rows_read = rows_read
    return True
