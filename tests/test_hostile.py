"""Hostile and broken input, generated: import never shows a traceback, and a rejected file leaves
the data exactly as it was. Fixed seed and bounded examples, so the run is the same every time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.data import export, formats, ingest, readers, vocab
from support import TODAY, agreement, dump_tables, engagement, query, write_csv, write_rows

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# A successful import rebuilds the rollups and takes a snapshot: several times the cost of a refusal.
FEWER = settings(SETTINGS, max_examples=12)
NASTY = st.sampled_from(
    ["", " ", "<script>alert(1)</script>", '=HYPERLINK("http://x")', "'; DROP TABLE x; --", "\u202e", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
     "NaN", "-1", "1e309", "2024-02-30", "13/13/2024", '"', "Canada", "GBR", "visa", "in_force", "x" * 400]
)  # fmt: skip
# NUL makes a whole file "not text" (the random-bytes test covers that) and line breaks would move the line
# numbers: without them every row is read, on a line the test knows.
CELL = st.one_of(NASTY, st.text(alphabet=st.characters(blacklist_characters="\x00\r\n"), max_size=30))
# Text an analyst may legitimately type in a title: hostile-looking, but non-blank and within the limit.
TITLE = st.one_of(NASTY, st.text(alphabet=st.characters(blacklist_characters="\x00"), min_size=1, max_size=60)).filter(
    lambda t: t.strip() != ""
)
COUNTRY = st.sampled_from(
    [("FRA", "FRA"), ("fr", "FRA"), ("France", "FRA"), ("FRANCE", "FRA"), ("United Kingdom", "GBR"), ("UK", "GBR"),
     ("Great Britain", "GBR"), ("gbr", "GBR"), ("Côte d'Ivoire", "CIV"), ("cote d’ivoire", "CIV"), ("CAN", "CAN")]
)  # fmt: skip
AREA = st.sampled_from(vocab.MISSION_AREAS).flatmap(
    lambda a: st.tuples(st.sampled_from([a.code, a.label, a.label.upper(), a.label.lower()]), st.just(a.code))
)
STATUS = st.sampled_from([("planned", "planned"), ("Completed", "completed"), ("canceled", "cancelled"),
                          ("CANCELLED", "cancelled"), ("held", "completed")])  # fmt: skip
DAY = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))
# One row per table that is certainly invalid, and the column its problem is reported on.
BAD_ROW = {
    "engagements": (engagement("BAD", start_date="2024-02-30"), "start_date"),
    "agreements": (agreement("BAD", status="half-signed"), "status"),
}


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory, _built_empty_db) -> Path:
    """A database holding one engagement and one agreement: a rejected import must leave both as they were."""
    folder = tmp_path_factory.mktemp("seeded")
    db = _fresh(_built_empty_db, folder, "atlas")
    for table, row in (("engagements", engagement("SEED")), ("agreements", agreement("SEED"))):
        assert (
            ingest.import_file(write_csv(folder / f"{table}.csv", [row]), table, db, today=TODAY).outcome == "success"
        )
    return db


def _fresh(template: Path, tmp_path: Path, name: str) -> Path:
    db = tmp_path / f"{name}.duckdb"
    shutil.copyfile(template, db)
    return db


def _rejected_cleanly(db: Path, path: Path, table: str) -> ingest.ImportResult:
    """Import `path`, which must be refused: no exception, no change to any data table, every problem located."""
    before = dump_tables(db)
    result = ingest.import_file(path, table, db, today=TODAY)  # must not raise
    assert result.outcome == "rejected"
    assert dump_tables(db) == before, "a rejected import changed the data"
    assert result.problems and all(str(p).startswith(f"line {p.line}, column ") for p in result.problems)
    return result


@SETTINGS
@given(data=st.binary(min_size=0, max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".parquet"]))
def test_random_bytes_are_rejected_cleanly(seeded_db, tmp_path_factory, data, suffix):
    folder = tmp_path_factory.mktemp("bytes")
    path = folder / f"random{suffix}"
    path.write_bytes(data)
    result = _rejected_cleanly(_fresh(seeded_db, folder, "db"), path, "engagements")
    assert result.problems[0].line >= 1


@SETTINGS
@given(
    rows=st.lists(st.lists(CELL, min_size=0, max_size=13), min_size=0, max_size=12),
    at=st.integers(min_value=0, max_value=12),
    table=st.sampled_from(["engagements", "agreements"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_random_rows_beside_a_bad_one_are_rejected_with_its_line(seeded_db, tmp_path_factory, rows, at, table,
                                                                  delimiter):  # fmt: skip
    # Random cells (at most one per column, so no row is longer than the header) around one row that is
    # certainly invalid: whatever the others hold, the file is refused and the bad row's line is named.
    bad, column = BAD_ROW[table]
    columns = formats.FORMATS[table].columns
    at = min(at, len(rows))
    rows = [*rows[:at], [bad.get(c, "") for c in columns], *rows[at:]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(columns)
    writer.writerows(rows)
    folder = tmp_path_factory.mktemp("tables")
    path = folder / "table.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = _rejected_cleanly(_fresh(seeded_db, folder, "db"), path, table)
    bad_line = 2 + at  # the header is line 1; no cell holds a line break, so each row is one line
    assert column in [p.column for p in result.problems if p.line == bad_line], result.problems
    assert all(p.line >= 2 for p in result.problems)


@FEWER
@given(
    values=st.lists(st.tuples(TITLE, COUNTRY, AREA, STATUS, DAY, st.booleans()), min_size=1, max_size=8),
    kind=st.sampled_from(["csv", "parquet"]),
)
def test_valid_rows_with_hostile_text_are_imported_exactly(seeded_db, tmp_path_factory, values, kind):
    rows, expected = [], []
    for i, (title, (country, iso3), (area, code), (status, status_code), day, us_date) in enumerate(values):
        start = f"{day.month}/{day.day}/{day.year}" if us_date else day.isoformat()
        rows.append(engagement(f"H{i}", title=title, country=country, mission_area=area, status=status,
                               start_date=start, end_date=""))  # fmt: skip
        expected.append((f"H{i}", title, day, iso3, code, status_code))
    folder = tmp_path_factory.mktemp("valid")
    db = _fresh(seeded_db, folder, "db")
    result = ingest.import_file(write_rows(folder, kind, rows), "engagements", db, today=TODAY)
    assert (result.outcome, result.problems, result.inserted, result.updated) == ("success", [], len(rows), 0)
    stored = query(db, "SELECT engagement_id, title, start_date, iso3, mission_area, status FROM engagements "
                       "WHERE engagement_id <> 'SEED' ORDER BY engagement_id")  # fmt: skip
    assert stored == sorted(expected)


ALPHABET = st.characters(categories=("L", "N", "Zs", "Pd", "Pc"))  # no delimiters, quotes or NUL
HEADER_NAME = st.one_of(
    st.sampled_from([*formats.ENGAGEMENTS.columns, "Engagement ID", "TITLE", "start-date", " country "]),
    st.text(alphabet=ALPHABET, max_size=12),
)


def header_problems(header: list[str]) -> list[ingest.Problem]:
    """What the import must say about a header: a repeated format column, else every missing required one."""
    names = [readers.normalise_header(h) for h in header]
    repeated = [n for i, n in enumerate(names) if n in formats.ENGAGEMENTS.columns and n in names[:i]]
    if repeated:
        return [ingest.Problem(1, repeated[0], "the column appears more than once")]
    missing = [c for c in formats.ENGAGEMENTS.required if c not in names]
    return [ingest.Problem(1, c, "missing required column") for c in missing]


@SETTINGS
@given(header=st.lists(HEADER_NAME, min_size=1, max_size=30))
def test_random_headers_report_exactly_what_is_wrong(seeded_db, tmp_path_factory, header):
    # Every data value is "x" (not a date, country or mission area), so a complete header still fails on line 2.
    folder = tmp_path_factory.mktemp("headers")
    path = folder / "h.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, ["x"] * len(header)])
    result = _rejected_cleanly(_fresh(seeded_db, folder, "db"), path, "engagements")
    expected = header_problems(header)
    assert [p for p in result.problems if p.line == 1] == expected
    assert {p.line for p in result.problems} == ({1} if expected else {2})


def test_a_large_file_is_read_in_chunks_not_whole(tmp_path):
    # 250,000 rows: the reader hands back its first chunk long before it has read the whole file.
    path = tmp_path / "big.csv"
    rows = [engagement(f"E{i}") for i in range(3)]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(rows[0].keys())
        for i in range(250_000):
            writer.writerow([f"E{i}"] + list(rows[0].values())[1:])
    table = readers.open_table(path)
    stream = table.chunks
    first = next(stream)
    assert len(first.rows) == readers.CHUNK_ROWS
    assert first.lines[0] == 2 and first.lines[-1] == readers.CHUNK_ROWS + 1
    assert sum(len(c.rows) for c in stream) == 250_000 - readers.CHUNK_ROWS


def test_formula_text_is_kept_but_neutralised_on_export(empty_db, tmp_path):
    path = write_csv(tmp_path / "f.csv", [engagement("E1", title='=HYPERLINK("http://evil","x")')])
    assert ingest.import_file(path, "engagements", empty_db).outcome == "success"
    stored = query(empty_db, "SELECT title FROM engagements")[0][0]
    assert stored == '=HYPERLINK("http://evil","x")', "text is stored verbatim"
    csv_text = export.to_csv_bytes(pd.DataFrame({"title": [stored]})).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text


def test_overlong_cells_are_refused_in_every_format(empty_db, tmp_path):
    row = engagement("E1", title="t" * 501)
    for kind in ("csv", "xlsx", "parquet"):
        path = write_rows(tmp_path, kind, [row], name=f"long_{kind}")
        result = ingest.import_file(path, "engagements", empty_db)
        assert result.outcome == "rejected"
        assert str(result.problems[0]) == "line 2, column title: value is too long (501 characters; at most 500)"
