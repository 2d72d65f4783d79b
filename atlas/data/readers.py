"""Read an import file (.csv, .xlsx, .parquet) as chunks of text rows, each with its file line number.

Files are streamed: a large file is never held in memory whole. Every value comes out as text
("" for empty) so that validation sees exactly what the analyst typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

CHUNK_ROWS = 100_000
MAX_FIELD_CHARS = 100_000
MAX_COLUMNS = 200
# A workbook is bounded before openpyxl parses it (it reads every shared string into memory at once): its
# XML at most MAX_XLSX_BYTES unpacked, no text run longer than a cell may be (XML escapes can take six bytes
# a character), a sheet at most MAX_XLSX_COLUMNS wide and MAX_XLSX_CELLS in all.
MAX_XLSX_BYTES = 1 << 30
MAX_XLSX_RUN = 6 * MAX_FIELD_CHARS
MAX_XLSX_COLUMNS = 100
MAX_XLSX_CELLS = 50_000_000
SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
# What a blank value may hold: exactly the characters str.strip() removes (tests/test_readers.py checks
# that), spelled out so that the Arrow fast path of the import trims the very same ones.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class FileProblem(Exception):
    """The file as a whole cannot be read; carries the line it was found on."""

    def __init__(self, line: int, reason: str, column: str = "-"):
        super().__init__(f"line {line}, column {column}: {reason}")
        self.line, self.column, self.reason = line, column, reason


@dataclass
class Chunk:
    lines: list[int]
    rows: list[list[str]]


@dataclass
class TableFile:
    """A header and a stream of row chunks aligned to it."""

    header: list[str]
    chunks: Iterator[Chunk]


def is_blank_row(values: Sequence[str]) -> bool:
    """A row whose every value is blank carries no record (an empty row counts as blank)."""
    return all(not v.strip(WHITESPACE) for v in values)


def blank_rows(columns: Sequence) -> pa.BooleanArray | None:
    """is_blank_row over Arrow string columns: where every value is blank (None when no row is)."""
    import pyarrow.compute as pc

    blank = None
    for column in columns:
        empty = pc.equal(pc.utf8_length(pc.utf8_trim(column, characters=WHITESPACE)), 0)
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():
            return None
    return blank


def normalise_header(name: object) -> str:
    """'Engagement ID ' -> 'engagement_id'."""
    text = "" if name is None else str(name)
    text = text.replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def open_table(path: Path) -> TableFile:
    """Open an import file by its suffix; raises FileProblem when it cannot be read as a table."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise FileProblem(1, f"unsupported file type '{path.suffix}'; use .csv, .xlsx or .parquet")
    if not path.exists():
        raise FileProblem(1, f"no such file: {path}")
    if path.stat().st_size == 0:
        raise FileProblem(1, "the file is empty")
    reader = {"csv": _open_csv, "xlsx": _open_xlsx, "parquet": _open_parquet}[kind]
    table = reader(path)
    if len(table.header) > MAX_COLUMNS:
        raise FileProblem(1, f"the file has {len(table.header)} columns; an import file has at most {MAX_COLUMNS}")
    return table


# --- CSV ---------------------------------------------------------------------------------------


def sniff_encoding_problem(head: bytes) -> str | None:
    """Why the first bytes of a file show it is not UTF-8 text (UTF-16, binary), or None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "the file is UTF-16 text; save it as CSV UTF-8"
    if b"\x00" in head:
        return "the file is not text (it contains NUL bytes); save it as CSV UTF-8"
    return None


def _first_bad_utf8_line(path: Path) -> tuple[int, str]:
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return number, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8 (is the file Latin-1 or Windows-1252?)"
    return 1, "the file is not valid UTF-8"


def pick_delimiter(header_line: str) -> str:
    """The delimiter a CSV file uses: the one of ',', ';' and tab its header line holds most of."""
    # Excel in many locales writes ';'; tab for .tsv. The header tells which one the file uses.
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _open_csv(path: Path) -> TableFile:
    with path.open("rb") as f:
        head = f.read(65536)
    problem = sniff_encoding_problem(head)
    if problem:
        raise FileProblem(1, problem)
    csv.field_size_limit(MAX_FIELD_CHARS)
    stream = path.open("r", encoding="utf-8-sig", newline="")
    try:
        first = stream.readline()
    except UnicodeDecodeError:
        stream.close()
        raise FileProblem(*_first_bad_utf8_line(path)) from None
    delimiter = pick_delimiter(first)
    stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader)
    except (csv.Error, UnicodeDecodeError) as exc:
        stream.close()
        raise FileProblem(1, _csv_reason(exc, path)) from None
    return TableFile(header=header, chunks=_csv_chunks(reader, stream, len(header), path))


def _csv_reason(exc: Exception, path: Path) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return _first_bad_utf8_line(path)[1]
    if "field larger than field limit" in str(exc):
        return f"a value is longer than {MAX_FIELD_CHARS:,} characters"
    return f"the CSV cannot be read ({exc})"


def _csv_chunks(reader, stream, width: int, path: Path) -> Iterator[Chunk]:
    lines: list[int] = []
    rows: list[list[str]] = []
    last_line = reader.line_num
    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError:
                line, reason = _first_bad_utf8_line(path)
                raise FileProblem(line, reason) from None
            except csv.Error as exc:
                raise FileProblem(last_line + 1, _csv_reason(exc, path)) from None
            start, last_line = last_line + 1, reader.line_num
            if is_blank_row(row):
                continue
            if len(row) > width and not is_blank_row(row[width:]):
                raise FileProblem(start, f"the row has {len(row)} values but the header has {width} columns")
            rows.append((row + [""] * (width - len(row)))[:width])
            lines.append(start)
            if len(rows) >= CHUNK_ROWS:
                yield Chunk(lines, rows)
                lines, rows = [], []
        if rows:
            yield Chunk(lines, rows)
    finally:
        stream.close()


# --- XLSX and Parquet --------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A spreadsheet or Parquet cell as the text an analyst would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


# What a damaged workbook raises: a bad zip, bad compressed data, or bad XML (SyntaxError covers the
# ParseError of both xml.etree and lxml).
_XLSX_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, KeyError, ValueError, OSError)


def _xlsx_bounds(path: Path) -> None:
    """Refuse a workbook whose XML is too large or holds a text run longer than any cell may be, reading it
    in blocks (a 150 KB file can unpack to a 150-million-character string)."""
    import numpy as np

    try:
        with zipfile.ZipFile(path) as archive:
            parts = [
                i
                for i in archive.infolist()
                if i.filename == "xl/sharedStrings.xml" or i.filename.startswith("xl/worksheets/")
            ]
            if sum(i.file_size for i in parts) > MAX_XLSX_BYTES:
                raise FileProblem(
                    1,
                    f"the workbook unpacks to more than {MAX_XLSX_BYTES >> 20:,} MB of sheets; "
                    "save it as CSV or Parquet",
                )
            for info in parts:
                run = 0  # bytes since the last '<': text between two tags
                with archive.open(info) as stream:
                    while block := stream.read(1 << 20):
                        tags = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 0x3C)
                        if len(tags) == 0:
                            run += len(block)
                        else:
                            gaps = np.diff(tags)
                            run = max(run + int(tags[0]), int(gaps.max()) if len(gaps) else 0)
                            if run <= MAX_XLSX_RUN:
                                run = len(block) - 1 - int(tags[-1])
                        if run > MAX_XLSX_RUN:
                            raise FileProblem(
                                1,
                                f"a cell holds more than {MAX_FIELD_CHARS:,} characters "
                                f"(in {info.filename}); an import cell holds at most that",
                            )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise FileProblem(1, f"not a readable .xlsx workbook ({type(exc).__name__})") from None


_CELL_COLUMN = re.compile(rb'\br="([A-Z]{1,3})[0-9]+"')


def _sheet_width(sheet) -> int:
    """The farthest column any cell of a read-only sheet names, read from its XML in blocks (a sheet's own
    <dimension> may be missing or wrong)."""
    from openpyxl.utils import column_index_from_string

    widest, carry = b"", b""
    with sheet.parent._archive.open(sheet._worksheet_path) as stream:
        while block := stream.read(1 << 20):
            text = carry + block
            for letters in set(_CELL_COLUMN.findall(text)):
                if (len(letters), letters) > (len(widest), widest):
                    widest = letters
            carry = text[-16:]  # a reference cut by the block boundary is found in the next one
    return column_index_from_string(widest.decode()) if widest else 0


def _open_xlsx(path: Path) -> TableFile:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    _xlsx_bounds(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # The sheet's own <dimension>, and the cells it holds: both before any row is parsed.
        width = max(sheet.max_column or 0, _sheet_width(sheet)) or None
        if width is not None and width > MAX_XLSX_COLUMNS:
            workbook.close()
            raise FileProblem(
                1,
                f"the first sheet is {width:,} columns wide (to column {get_column_letter(width)}); "
                f"an import sheet has at most {MAX_XLSX_COLUMNS}: delete the unused columns",
            )
        # Never pad a row to a far cell: read at most one column past the limit, which is then reported.
        rows = sheet.iter_rows(values_only=True, max_col=min(width or MAX_XLSX_COLUMNS + 1, MAX_XLSX_COLUMNS + 1))
        header_row = next(rows, None)
    except (InvalidFileException, IndexError, *_XLSX_ERRORS) as exc:
        raise FileProblem(1, f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    if header_row is None:
        raise FileProblem(1, "the first sheet is empty")
    header = [cell_text(v) for v in header_row]
    while header and header[-1] == "":
        header.pop()
    if len(header) > MAX_XLSX_COLUMNS:
        raise FileProblem(1, f"the header has more than {MAX_XLSX_COLUMNS} columns")
    return TableFile(header=header, chunks=_xlsx_chunks(rows, len(header), workbook))


def _xlsx_chunks(rows, width: int, workbook) -> Iterator[Chunk]:
    lines: list[int] = []
    out: list[list[str]] = []
    number = cells = 1
    try:
        while True:
            try:
                values = next(rows, None)
            except _XLSX_ERRORS as exc:
                # A damaged sheet shows up only when reading reaches it.
                raise FileProblem(number + 1, f"the .xlsx workbook is damaged ({type(exc).__name__})") from None
            if values is None:
                break
            number += 1
            cells += len(values)
            if cells > MAX_XLSX_CELLS:
                raise FileProblem(
                    number, f"the sheet has more than {MAX_XLSX_CELLS:,} cells; save it as CSV or Parquet"
                )
            texts = [cell_text(v) for v in values]
            if any(len(t) > MAX_FIELD_CHARS for t in texts):
                raise FileProblem(number, f"a value is longer than {MAX_FIELD_CHARS:,} characters")
            if is_blank_row(texts):
                continue
            if len(texts) > width and not is_blank_row(texts[width:]):
                raise FileProblem(number, f"the row has values beyond the {width} header columns")
            out.append((texts + [""] * (width - len(texts)))[:width])
            lines.append(number)
            if len(out) >= CHUNK_ROWS:
                yield Chunk(lines, out)
                lines, out = [], []
        if out:
            yield Chunk(lines, out)
    finally:
        workbook.close()


def _open_parquet(path: Path) -> TableFile:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise FileProblem(1, f"not a readable Parquet file ({type(exc).__name__})") from None
    header = list(parquet.schema_arrow.names)
    return TableFile(header=header, chunks=_parquet_chunks(parquet))


def _parquet_chunks(parquet) -> Iterator[Chunk]:
    # Line numbers as if the table were a CSV: header on line 1, first row on line 2.
    import pyarrow as pa

    next_line = 2
    batches = parquet.iter_batches(batch_size=CHUNK_ROWS)
    while True:
        try:
            batch = next(batches, None)
        except (pa.ArrowException, OSError) as exc:
            # Damaged data pages show up only when reading reaches them.
            raise FileProblem(next_line, f"the Parquet file is damaged ({type(exc).__name__})") from None
        if batch is None:
            break
        columns = [[cell_text(v) for v in col.to_pylist()] for col in batch.columns]
        rows = [list(r) for r in zip(*columns)] if columns else []
        lines = list(range(next_line, next_line + batch.num_rows))
        next_line += batch.num_rows
        yield Chunk(lines, rows)


def sha256_of(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
