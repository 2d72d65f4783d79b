"""atlas.readers on real files: every value as text, with the line number the analyst sees in the file."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from atlas.data import readers
from atlas.data.readers import FileProblem, cell_text, normalise_header, open_table, sha256_of
from support import engagement, write_parquet, write_rows, write_xlsx

HEADER = "engagement_id,title,country"


def read_all(path: Path) -> tuple[list[str], list[int], list[list[str]]]:
    table = open_table(path)
    lines, rows = [], []
    for chunk in table.chunks:
        assert len(chunk.lines) == len(chunk.rows)
        lines += chunk.lines
        rows += chunk.rows
    return table.header, lines, rows


def problem_of(path: Path) -> str:
    """The message of the FileProblem raised while opening or reading the whole file."""
    with pytest.raises(FileProblem) as caught:
        read_all(path)
    return str(caught.value)


def write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- CSV -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_csv_bom_and_line_endings(tmp_path, bom, newline):
    text = newline.join([HEADER, "E1,Visit,FRA", 'E2,"Quoted, with comma",GBR']) + newline
    path = write_bytes(tmp_path, "e.csv", (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    header, lines, rows = read_all(path)
    assert header == ["engagement_id", "title", "country"]
    assert lines == [2, 3]
    assert rows == [["E1", "Visit", "FRA"], ["E2", "Quoted, with comma", "GBR"]]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_csv_quoted_field_over_several_lines_shifts_later_line_numbers(tmp_path, newline):
    text = (
        newline.join(
            [
                HEADER,
                'E1,"first line',
                "second line",
                'third line",FRA',
                "E2,After,GBR",
                'E3,"two',
                'lines",CAN',
                "E4,Last,MEX",
            ]
        )
        + newline
    )
    path = write_bytes(tmp_path, "e.csv", text.encode("utf-8"))
    header, lines, rows = read_all(path)
    assert lines == [2, 5, 6, 8]
    assert rows[0] == ["E1", newline.join(["first line", "second line", "third line"]), "FRA"]
    assert rows[1] == ["E2", "After", "GBR"]
    assert rows[3] == ["E4", "Last", "MEX"]


def test_csv_blank_lines_are_skipped_but_counted(tmp_path):
    path = write_bytes(tmp_path, "e.csv", f"{HEADER}\n\nE1,a,FRA\n,,\n   ,  ,\nE2,b,GBR\n\n".encode())
    _, lines, rows = read_all(path)
    assert lines == [3, 6]
    assert rows == [["E1", "a", "FRA"], ["E2", "b", "GBR"]]


def test_csv_short_rows_are_padded_and_empty_extra_values_dropped(tmp_path):
    path = write_bytes(tmp_path, "e.csv", f"{HEADER}\nE1\nE2,b,GBR,,\n".encode())
    _, lines, rows = read_all(path)
    assert rows == [["E1", "", ""], ["E2", "b", "GBR"]]
    assert lines == [2, 3]


def test_csv_row_with_more_values_than_the_header(tmp_path):
    path = write_bytes(tmp_path, "e.csv", f'{HEADER}\nE1,a,FRA\nE2,"x\ny",GBR\nE3,b,CAN,surprise\n'.encode())
    assert problem_of(path) == "line 5, column -: the row has 4 values but the header has 3 columns"


@pytest.mark.parametrize(
    ("suffix", "delimiter"), [(".csv", ","), (".csv", ";"), (".csv", "\t"), (".tsv", "\t"), (".txt", ";")]
)
def test_csv_delimiter_is_taken_from_the_header(tmp_path, suffix, delimiter):
    lines = [["engagement_id", "title", "country"], ["E1", "Paris, France", "FRA"], ["E2", "a;b", "GBR"]]
    quote = lambda v: f'"{v}"' if ("," in v or ";" in v) else v  # noqa: E731
    text = "\n".join(delimiter.join(quote(v) for v in line) for line in lines) + "\n"
    header, _, rows = read_all(write_bytes(tmp_path, "e" + suffix, text.encode()))
    assert header == ["engagement_id", "title", "country"]
    assert rows == [["E1", "Paris, France", "FRA"], ["E2", "a;b", "GBR"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "engagement_id,title\nE1,x\n".encode("utf-16"),
            "line 1, column -: the file is UTF-16 text; save it as CSV UTF-8",
        ),
        (
            "engagement_id,title\nE1,x\n".encode("utf-16-be").join([b"\xfe\xff", b""]),
            "line 1, column -: the file is UTF-16 text; save it as CSV UTF-8",
        ),
        (
            "engagement_id,title\nE1,x\n".encode("utf-16-le"),
            "line 1, column -: the file is not text (it contains NUL bytes); save it as CSV UTF-8",
        ),
        (
            b"engagement_id,title\nE1,x\x00y\n",
            "line 1, column -: the file is not text (it contains NUL bytes); save it as CSV UTF-8",
        ),
        (
            "engagement_id,title\nE1,Paris\nE2,Côte d'Ivoire\n".encode("latin-1"),
            "line 3, column -: byte 0xf4 is not valid UTF-8 (is the file Latin-1 or Windows-1252?)",
        ),
        (
            "títle,x\nE1,y\n".encode("cp1252"),
            "line 1, column -: byte 0xed is not valid UTF-8 (is the file Latin-1 or Windows-1252?)",
        ),
    ],
    ids=["utf16-le-bom", "utf16-be-bom", "utf16-no-bom", "nul-byte", "latin1-line3", "cp1252-header"],
)
def test_csv_encoding_problems(tmp_path, data, message):
    assert problem_of(write_bytes(tmp_path, "e.csv", data)) == message


def test_csv_bad_byte_far_into_the_file_is_found_while_streaming(tmp_path):
    # Past the first 64 KiB the open step has checked: found by the row reader, same message.
    good = "".join(f"E{i},title number {i}\n" for i in range(1, 5001))
    data = ("engagement_id,title\n" + good).encode() + "E5001,Zürich\n".encode("latin-1")
    assert len(data) > 65536
    assert problem_of(write_bytes(tmp_path, "e.csv", data)) == (
        "line 5002, column -: byte 0xfc is not valid UTF-8 (is the file Latin-1 or Windows-1252?)"
    )


def test_csv_field_longer_than_the_limit(tmp_path):
    path = write_bytes(tmp_path, "e.csv", f"{HEADER}\nE1,a,FRA\nE2,{'x' * 200_000},GBR\n".encode())
    assert problem_of(path) == "line 3, column -: a value is longer than 100,000 characters"


def test_csv_field_at_the_limit_is_read(tmp_path):
    path = write_bytes(tmp_path, "e.csv", f"{HEADER}\nE1,{'x' * 100_000},FRA\n".encode())
    _, _, rows = read_all(path)
    assert len(rows[0][1]) == 100_000


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (200, None),
        (201, "line 1, column -: the file has 201 columns; an import file has at most 200"),
        (5000, "line 1, column -: the file has 5000 columns; an import file has at most 200"),
    ],
)
def test_column_limit(tmp_path, columns, message):
    names = ",".join(f"c{i}" for i in range(columns))
    path = write_bytes(tmp_path, "wide.csv", f"{names}\n{','.join(['1'] * columns)}\n".encode())
    if message is None:
        header, _, rows = read_all(path)
        assert len(header) == 200 and rows == [["1"] * 200]
    else:
        assert problem_of(path) == message


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("e.json", b"{}", "line 1, column -: unsupported file type '.json'; use .csv, .xlsx or .parquet"),
        ("e", b"a,b\n", "line 1, column -: unsupported file type ''; use .csv, .xlsx or .parquet"),
        ("e.csv", b"", "line 1, column -: the file is empty"),
        ("e.xlsx", b"", "line 1, column -: the file is empty"),
        ("e.parquet", b"", "line 1, column -: the file is empty"),
        ("e.xlsx", b"engagement_id,title\nE1,x\n", "line 1, column -: not a readable .xlsx workbook (BadZipFile)"),
        ("e.parquet", b"engagement_id,title\nE1,x\n", "line 1, column -: not a readable Parquet file (ArrowInvalid)"),
    ],
)
def test_files_that_are_not_tables(tmp_path, name, data, message):
    assert problem_of(write_bytes(tmp_path, name, data)) == message


def test_missing_file(tmp_path):
    assert problem_of(tmp_path / "nowhere.csv") == f"line 1, column -: no such file: {tmp_path / 'nowhere.csv'}"


def test_suffix_is_case_insensitive(tmp_path):
    header, _, rows = read_all(write_bytes(tmp_path, "E.CSV", f"{HEADER}\nE1,a,FRA\n".encode()))
    assert header == ["engagement_id", "title", "country"] and rows == [["E1", "a", "FRA"]]


# --- XLSX ------------------------------------------------------------------------------------------


def test_xlsx_first_sheet_typed_cells_and_sheet_row_numbers(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Engagement ID", "Start Date", "Participants", "Latitude", "Demo", None, None])
    sheet.append(["E1", dt.datetime(2024, 3, 5), 12, 48.8566, True])
    sheet.cell(row=5, column=1, value="E2")  # rows 3 and 4 left empty
    sheet.cell(row=5, column=2, value=dt.datetime(2024, 3, 5, 14, 30))
    sheet.cell(row=5, column=3, value=7.0)
    workbook.create_sheet("ignored").append(["not", "read"])
    workbook.save(tmp_path / "e.xlsx")
    header, lines, rows = read_all(tmp_path / "e.xlsx")
    assert header == ["Engagement ID", "Start Date", "Participants", "Latitude", "Demo"]
    assert lines == [2, 5]
    assert rows == [["E1", "2024-03-05", "12", "48.8566", "true"], ["E2", "2024-03-05 14:30:00", "7", "", ""]]


def test_xlsx_values_beyond_the_header(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["engagement_id", "title"])
    sheet.append(["E1", "a"])
    sheet.cell(row=4, column=3, value="beyond")
    workbook.save(tmp_path / "e.xlsx")
    assert problem_of(tmp_path / "e.xlsx") == "line 4, column -: the row has values beyond the 2 header columns"


def test_xlsx_empty_first_sheet(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.create_sheet("second").append(["engagement_id"])
    workbook.save(tmp_path / "e.xlsx")
    assert problem_of(tmp_path / "e.xlsx") == "line 1, column -: the first sheet is empty"


def test_xlsx_damaged_sheet_is_a_file_problem(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [engagement(f"E{i}") for i in range(1, 41)])
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the XML stops half way through the rows
            target.writestr(item, data)
    message = problem_of(damaged)
    assert message.startswith("line ")
    assert message.endswith(", column -: the .xlsx workbook is damaged (ParseError)")
    assert 2 < int(message.split(",")[0].removeprefix("line ")) < 42


# --- Parquet ---------------------------------------------------------------------------------------


def test_parquet_typed_columns_become_text(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "engagement_id": ["E1", "E2", None],
            "start_date": pa.array([dt.date(2024, 3, 5), None, dt.date(2023, 12, 31)], pa.date32()),
            "end_date": pa.array([dt.datetime(2024, 3, 7), dt.datetime(2024, 3, 7, 9, 15), None], pa.timestamp("us")),
            "participants": pa.array([12, None, 0], pa.int64()),
            "latitude": [48.8566, float("nan"), -33.5],
            "demo": [True, False, None],
            "amount": pa.array([decimal.Decimal("5.10"), None, None], pa.decimal128(5, 2)),
        }
    )
    pq.write_table(table, tmp_path / "e.parquet")
    header, lines, rows = read_all(tmp_path / "e.parquet")
    assert header == ["engagement_id", "start_date", "end_date", "participants", "latitude", "demo", "amount"]
    assert lines == [2, 3, 4]
    assert rows == [
        ["E1", "2024-03-05", "2024-03-07", "12", "48.8566", "true", "5.10"],
        ["E2", "", "2024-03-07 09:15:00", "", "", "false", ""],
        ["", "2023-12-31", "", "0", "-33.5", "", ""],
    ]


def test_parquet_truncated_file(tmp_path):
    good = write_parquet(tmp_path / "good.parquet", [engagement(f"E{i}") for i in range(1, 21)])
    data = good.read_bytes()
    path = write_bytes(tmp_path, "cut.parquet", data[: len(data) // 2])
    assert problem_of(path) == "line 1, column -: not a readable Parquet file (ArrowInvalid)"


def test_parquet_damaged_data_pages_are_a_file_problem(tmp_path):
    # The footer is intact, so the file opens; the damage shows only when the rows are read.
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "engagement_id": [f"E{i}" for i in range(200)],
            "title": [f"Title number {i} with some text" for i in range(200)],
        }
    )
    pq.write_table(table, tmp_path / "good.parquet", compression="none")
    data = bytearray((tmp_path / "good.parquet").read_bytes())
    data[100:600] = b"\xab" * 500
    path = write_bytes(tmp_path, "damaged.parquet", bytes(data))
    assert open_table(path).header == ["engagement_id", "title"]
    assert problem_of(path) == "line 2, column -: the Parquet file is damaged (OSError)"


# --- streaming in chunks ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx", "parquet"])
def test_chunks_keep_line_numbers_across_chunk_boundaries(tmp_path, monkeypatch, kind):
    monkeypatch.setattr(readers, "CHUNK_ROWS", 2)
    rows = [{"engagement_id": f"E{i}", "title": f"t{i}"} for i in range(1, 6)]
    path = write_rows(tmp_path, kind, rows)
    chunks = list(open_table(path).chunks)
    assert [c.lines for c in chunks] == [[2, 3], [4, 5], [6]]
    assert [r for c in chunks for r in c.rows] == [[f"E{i}", f"t{i}"] for i in range(1, 6)]


def test_csv_chunks_count_physical_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "CHUNK_ROWS", 2)
    path = write_bytes(tmp_path, "e.csv", b'id,t\nE1,"a\nb"\nE2,c\n\nE3,"d\ne\nf"\nE4,g\n')
    chunks = list(open_table(path).chunks)
    assert [c.lines for c in chunks] == [[2, 4], [6, 9]]


# --- small pieces ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Engagement ID ", "engagement_id"),
        ("\ufeffengagement_id", "engagement_id"),
        ("Start-Date", "start_date"),
        ("  MISSION   AREA", "mission_area"),
        ("Mission\tArea", "mission_area"),
        ("date_in-force", "date_in_force"),
        (None, ""),
        (7, "7"),
    ],
)
def test_normalise_header(raw, name):
    assert normalise_header(raw) == name


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (dt.datetime(2024, 3, 5), "2024-03-05"),
        (dt.datetime(2024, 3, 5, 10, 30), "2024-03-05 10:30:00"),
        (dt.date(2024, 3, 5), "2024-03-05"),
        (5.0, "5"),
        (5.5, "5.5"),
        (float("nan"), ""),
        (0.1 + 0.2, "0.30000000000000004"),
        (7, "7"),
        (decimal.Decimal("5.10"), "5.10"),
        ("  verbatim  ", "  verbatim  "),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_sha256_of(tmp_path):
    data = b"engagement_id\n" + bytes(range(256)) * 5000
    path = write_bytes(tmp_path, "e.csv", data)
    assert sha256_of(path) == hashlib.sha256(data).hexdigest()


def test_whitespace_is_exactly_what_str_strip_removes():
    import sys

    assert readers.WHITESPACE == "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace())


@pytest.mark.parametrize(
    ("values", "blank"),
    [
        ([], True),
        ([""], True),
        (["", " ", "\t"], True),
        (["\u3000", "\xa0", "\x85", "\x1c", "\u2028"], True),
        (["", "x"], False),
        (["\u200b"], False),  # a zero-width space is not whitespace to str.strip() either
    ],
)
def test_blank_row_rule_is_the_same_in_python_and_arrow(values, blank):
    import pyarrow as pa

    assert readers.is_blank_row(values) is blank
    if values:
        mask = readers.blank_rows([pa.array([v]) for v in values])
        assert (mask is not None and mask.to_pylist() == [True]) is blank


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("a,b,c", ","),
        ("a;b;c", ";"),
        ("a\tb\tc", "\t"),
        ("a;b,c", ","),
        ("a", ","),
        ("a;b;c,d", ";"),
    ],
)
def test_pick_delimiter(header, delimiter):
    assert readers.pick_delimiter(header) == delimiter


@pytest.mark.parametrize(
    ("head", "problem"),
    [
        (b"\xff\xfea\x00", "the file is UTF-16 text; save it as CSV UTF-8"),
        (b"a,b\x00", "the file is not text (it contains NUL bytes); save it as CSV UTF-8"),
        (b"\xef\xbb\xbfa,b\n", None),
    ],
)
def test_sniff_encoding_problem(head, problem):
    assert readers.sniff_encoding_problem(head) == problem


# --- issue 15.10: a workbook is bounded before it is parsed ------------------------------------------


def _rewrite(source: Path, target: Path, member: str, write) -> Path:
    """A copy of the workbook `source` whose `member` is written anew by `write(stream, old_text)`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename == member:
                with new.open(member, "w", force_zip64=True) as stream:
                    write(stream, old.read(member).decode("utf-8"))
            else:
                new.writestr(info, old.read(info.filename))
    return target


def huge_cell_xlsx(tmp_path: Path, chars: int = 150_000_000) -> Path:
    """A small workbook (about 150 KB) holding one string of `chars` characters (inline, as write_xlsx writes)."""
    small = write_xlsx(tmp_path / "small.xlsx", [{"engagement_id": "E1", "title": "PLACEHOLDER"}])

    def write(stream, text: str) -> None:
        head, tail = text.split("PLACEHOLDER")
        stream.write(head.encode())
        block = b"A" * (1 << 20)
        for _ in range(chars // len(block)):
            stream.write(block)
        stream.write(b"A" * (chars % len(block)) + tail.encode())

    return _rewrite(small, tmp_path / "huge.xlsx", "xl/worksheets/sheet1.xml", write)


def far_column_xlsx(tmp_path: Path, rows: int = 20_000, *, dimension: bool = True) -> Path:
    """A workbook with a value at column XFD (16,384) on every row, like the 482 KB file of issue 15."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["engagement_id", "title"])
    for r in range(2, rows + 2):
        sheet.cell(row=r, column=1, value=f"E{r}")
        sheet.cell(row=r, column=16384, value="x")
    workbook.save(tmp_path / "far.xlsx")
    if dimension:
        return tmp_path / "far.xlsx"
    return _rewrite(
        tmp_path / "far.xlsx",
        tmp_path / "far_nodim.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda stream, text: stream.write(re.sub(r"<dimension [^>]*/>", "", text).encode()),
    )


PROBE = """
import sys, time
from pathlib import Path
from atlas.data.readers import FileProblem, open_table
started = time.perf_counter()
try:
    table = open_table(Path(sys.argv[1]))
    for chunk in table.chunks:
        pass
    print("read")
except FileProblem as problem:
    print(problem)
print(time.perf_counter() - started)
# this process's own peak (ru_maxrss would carry the parent's peak over exec)
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) // 1024)
"""


def probe(path: Path) -> tuple[str, float, int]:
    """Read `path` in a process of its own: (the problem or 'read', seconds, peak memory in MB)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    message, seconds, megabytes = done.stdout.strip().splitlines()[-3:]
    return message, float(seconds), int(megabytes)


def test_a_workbook_with_a_150_million_character_cell_is_refused_quickly_in_little_memory(tmp_path):
    path = huge_cell_xlsx(tmp_path)
    assert path.stat().st_size < 1_000_000
    message, seconds, megabytes = probe(path)
    assert message == (
        "line 1, column -: a cell holds more than 100,000 characters (in xl/worksheets/sheet1.xml); "
        "an import cell holds at most that"
    )
    assert seconds < 10 and megabytes < 250, (seconds, megabytes)


def test_a_cell_just_over_the_limit_is_refused_and_one_at_the_limit_read(tmp_path):
    over = huge_cell_xlsx(tmp_path, chars=readers.MAX_FIELD_CHARS + 1)
    assert problem_of(over) == "line 2, column -: a value is longer than 100,000 characters"
    header, _, rows = read_all(huge_cell_xlsx(tmp_path, chars=readers.MAX_FIELD_CHARS))
    assert len(rows[0][1]) == readers.MAX_FIELD_CHARS


@pytest.mark.parametrize("dimension", [True, False], ids=["dimension", "no dimension"])
def test_a_workbook_with_a_cell_at_column_xfd_is_refused_quickly(tmp_path, dimension):
    path = far_column_xlsx(tmp_path, dimension=dimension)
    message, seconds, megabytes = probe(path)
    # refused from the sheet's own size or the cells it names, before a row is parsed
    assert message == (
        "line 1, column -: the first sheet is 16,384 columns wide (to column XFD); an import "
        "sheet has at most 100: delete the unused columns"
    )
    assert seconds < 15 and megabytes < 250, (seconds, megabytes)


def test_a_sheet_up_to_one_hundred_columns_is_read(tmp_path):
    row = {f"c{i}": str(i) for i in range(100)}
    header, _, rows = read_all(write_xlsx(tmp_path / "wide.xlsx", [row]))
    assert len(header) == 100 and rows == [[str(i) for i in range(100)]]
