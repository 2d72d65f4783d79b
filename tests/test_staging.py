"""The two ways an import file is staged give the same rows: Arrow's fast path for plain CSV files and the
row-by-row reader (atlas.data.readers) for everything. Each file below is staged both ways, each path forced
(the fast path must accept the file, or the test fails), and `stage` must match value for value, line for line.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from atlas.data.formats import AGREEMENTS, ENGAGEMENTS, FileFormat
from atlas.data.ingest import ImportResult, staging
from atlas.data.readers import FileProblem

ENGAGEMENT_HEADER = "engagement_id,title,start_date,country,mission_area"


def _stage(path: Path, fmt: FileFormat, *, fast: bool, block_size: int = staging.PLAIN_BLOCK):
    """(rows of `stage` in line order, rows_read, ignored columns) after staging `path` by one path."""
    con = duckdb.connect()
    try:
        result = ImportResult(file_name=path.name, table=fmt.table)
        if fast:
            assert staging.stage_plain_csv(con, path, fmt, result, block_size=block_size), "the fast path declined"
        else:
            staging.stage_rows(con, path, fmt, result)
        rows = con.execute("SELECT * FROM stage ORDER BY line").fetchall()
        return rows, result.rows_read, result.ignored_columns
    finally:
        con.close()


def _write(tmp_path: Path, text: str, *, name: str = "e.csv", newline: str = "\n", bom: bool = False) -> Path:
    path = tmp_path / name
    data = text.replace("\n", newline).encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


FILES = {
    "comma": (ENGAGEMENT_HEADER + "\nE1,Visit,2024-03-05,FRA,visa\nE2,Talks,2024-04-01,MEX,cargo\n", {}),
    "semicolon": (ENGAGEMENT_HEADER.replace(",", ";") + "\nE1;Visit, with a comma;2024-03-05;FRA;visa\n", {}),
    "tab": (ENGAGEMENT_HEADER.replace(",", "\t") + "\nE1\tVisit\t2024-03-05\tFRA\tvisa\n", {"name": "e.tsv"}),
    "bom": (ENGAGEMENT_HEADER + "\nE1,Visit,2024-03-05,FRA,visa\n", {"bom": True}),
    "crlf": (
        ENGAGEMENT_HEADER + "\nE1,Visit,2024-03-05,FRA,visa\n,,,,\nE2,Talks,2024-04-01,MEX,cargo\n",
        {"newline": "\r\n"},
    ),
    "crlf and bom, no final line end": (
        ENGAGEMENT_HEADER + "\nE1,Visit,2024-03-05,FRA,visa\nE2,x,y,z,w",
        {"newline": "\r\n", "bom": True},
    ),
    "quoted fields": (
        ENGAGEMENT_HEADER + '\n"E1","Visit, ""the"" talks","2024-03-05"," FRA ",visa\nE2,"",2024-04-01,"MEX;CAN",""\n',
        {},
    ),
    "blank rows": (
        ENGAGEMENT_HEADER + "\n,,,,\nE1,Visit,2024-03-05,FRA,visa\n , ,\t, ,\n"
        "E2,Talks,2024-04-01,MEX,cargo\n\u3000,\xa0,\u2028,\x85,\x1c\n",
        {},
    ),
    "a partly blank row is a record": (ENGAGEMENT_HEADER + "\n,,,,visa\n , , ,\xa0,\n", {}),
    "columns reordered, optional ones missing, extra ignored": (
        "Mission Area,Engagement ID,notes,Title,start_date,COUNTRY\nvisa,E1,keep out,Visit,2024-03-05,FRA\n",
        {},
    ),
    "unicode": (ENGAGEMENT_HEADER + "\nE1,Réunion à Zürich — 会议,2024-03-05,CIV,visa\n", {}),
    "no final line end": (ENGAGEMENT_HEADER + "\nE1,Visit,2024-03-05,FRA,visa", {}),
    "empty lines": (ENGAGEMENT_HEADER + "\n\nE1,Visit,2024-03-05,FRA,visa\n\n\nE2,Talks,2024-04-01,MEX,cargo\n\n", {}),
    "empty lines, crlf": (ENGAGEMENT_HEADER + "\nE1,Visit,2024-03-05,FRA,visa\n\nE2,x,y,z,w\n", {"newline": "\r\n"}),
}


@pytest.mark.parametrize("case", list(FILES))
def test_both_paths_stage_the_same_rows(tmp_path, case):
    text, options = FILES[case]
    path = _write(tmp_path, text, **options)
    assert _stage(path, ENGAGEMENTS, fast=True) == _stage(path, ENGAGEMENTS, fast=False)


def test_blank_rows_are_dropped_and_line_numbers_kept(tmp_path):
    # Line 3 is a row of delimiters, line 5 whitespace only; line 7 holds only the characters str.strip()
    # removes that a narrower idea of whitespace would keep (ideographic space, NBSP, U+2028, U+0085, U+001C).
    path = _write(tmp_path, FILES["blank rows"][0])
    for fast in (True, False):
        rows, read, ignored = _stage(path, ENGAGEMENTS, fast=fast)
        assert [r[:6] for r in rows] == [
            (3, "E1", "Visit", "2024-03-05", "", "FRA"),
            (5, "E2", "Talks", "2024-04-01", "", "MEX"),
        ]
        assert (read, ignored) == (2, [])


def test_values_are_the_text_as_written(tmp_path):
    path = _write(tmp_path, FILES["quoted fields"][0])
    rows, read, _ = _stage(path, ENGAGEMENTS, fast=True)
    columns = ("line",) + ENGAGEMENTS.columns
    assert [dict(zip(columns, r)) for r in rows] == [
        {
            "line": 2,
            "engagement_id": "E1",
            "title": 'Visit, "the" talks',
            "start_date": "2024-03-05",
            "end_date": "",
            "country": " FRA ",
            "city": "",
            "latitude": "",
            "longitude": "",
            "mission_area": "visa",
            "engagement_type": "",
            "component": "",
            "status": "",
            "participants": "",
            "summary": "",
            "sensitivity": "",
            "demo": "",
            "organizations": "",
            "level": "",
        },
        {
            "line": 3,
            "engagement_id": "E2",
            "title": "",
            "start_date": "2024-04-01",
            "end_date": "",
            "country": "MEX;CAN",
            "city": "",
            "latitude": "",
            "longitude": "",
            "mission_area": "",
            "engagement_type": "",
            "component": "",
            "status": "",
            "participants": "",
            "summary": "",
            "sensitivity": "",
            "demo": "",
            "organizations": "",
            "level": "",
        },
    ]


def test_ignored_columns_are_the_same_on_both_paths(tmp_path):
    path = _write(tmp_path, FILES["columns reordered, optional ones missing, extra ignored"][0])
    rows, read, ignored = _stage(path, ENGAGEMENTS, fast=True)
    assert (rows[0][:6], read, ignored) == ((2, "E1", "Visit", "2024-03-05", "", "FRA"), 1, ["notes"])


def test_line_numbers_run_on_across_arrow_blocks(tmp_path):
    """Small blocks make Arrow hand over many batches; every batch must continue the line count."""
    lines = [AGREEMENTS.columns[0] + ",title,countries,mission_area,status"]
    for i in range(200):
        lines.append(",,,," if i % 7 == 3 else f"A{i},Agreement {i},FRA;CAN,visa,in_force")
    path = _write(tmp_path, "\n".join(lines) + "\n", name="a.csv")
    fast = _stage(path, AGREEMENTS, fast=True, block_size=512)
    assert fast == _stage(path, AGREEMENTS, fast=False)
    assert [r[0] for r in fast[0]] == [i + 2 for i in range(200) if i % 7 != 3]
    assert fast[1] == 200 - len(range(3, 200, 7))


@pytest.mark.parametrize(
    ("text", "options", "lines"),
    [
        (ENGAGEMENT_HEADER + '\nE1,"Visit\nover two lines",2024-03-05,FRA,visa\nE2,x,y,z,w\n', {}, [2, 4]),
        (ENGAGEMENT_HEADER + "\nE1,Visit,2024-03-05,FRA,visa\nE2,x,y,z,w\n", {"newline": "\r"}, [2, 3]),
        (ENGAGEMENT_HEADER + "\nE1,Visit\nE2,x,y,z,w\n", {}, [2, 3]),
        (ENGAGEMENT_HEADER + "\nE1,Visit,2024-03-05,FRA,visa,,\n", {}, [2]),
    ],
    ids=["a line break inside quotes", "bare CR line ends", "a short row", "empty values beyond the header"],
)
def test_the_fast_path_declines_what_is_not_plain_and_the_row_path_reads_it(tmp_path, text, options, lines):
    path = _write(tmp_path, text, **options)
    con = duckdb.connect()
    result = ImportResult(file_name=path.name, table="engagements")
    declined = staging.stage_plain_csv(con, path, ENGAGEMENTS, result)
    left = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'stage'").fetchone()
    con.close()
    assert (declined, left) == (False, (0,)), "nothing staged when the fast path declines"
    rows, read, _ = _stage(path, ENGAGEMENTS, fast=False)
    assert ([r[0] for r in rows], read) == (lines, len(lines))


def test_both_paths_refuse_a_header_without_data_alike(tmp_path):
    path = _write(tmp_path, ENGAGEMENT_HEADER + "\n,,,,\n")
    messages = []
    for stage in (staging.stage_plain_csv, staging.stage_rows):
        with pytest.raises(FileProblem) as caught:
            stage(duckdb.connect(), path, ENGAGEMENTS, ImportResult(file_name=path.name, table="engagements"))
        messages.append(str(caught.value))
    assert messages == ["line 1, column -: the file has a header but no data rows"] * 2


def test_both_paths_name_every_missing_required_column(tmp_path):
    path = _write(tmp_path, "engagement_id,title\nE1,Visit\n")
    for stage in (staging.stage_plain_csv, staging.stage_rows):
        with pytest.raises(staging.MissingColumns) as caught:
            stage(duckdb.connect(), path, ENGAGEMENTS, ImportResult(file_name=path.name, table="engagements"))
        assert caught.value.missing == ["start_date", "country", "mission_area"]
