"""Hostile and broken input, generated: import never shows a traceback, and a rejected file leaves
the data exactly as it was. Fixed seed and bounded examples, so the run is the same every time."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.data import formats, ingest, readers
from support import dump_tables, engagement, query, write_csv, write_rows

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
NASTY = st.sampled_from(["", " ", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "'; DROP TABLE x; --",
                         "\u202e", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "NaN", "-1", "1e309", "2024-02-30", "13/13/2024", "\x00", "\"",
                         "Canada", "GBR", "visa", "in_force", "x" * 400])
CELL = st.one_of(NASTY, st.text(max_size=30))


def _fresh(empty_db: Path, tmp_path: Path, name: str) -> Path:
    db = tmp_path / f"{name}.duckdb"
    shutil.copyfile(empty_db, db)
    return db


def _import_is_safe(db: Path, path: Path, table: str) -> ingest.ImportResult:
    before = dump_tables(db)
    result = ingest.import_file(path, table, db)        # must not raise
    if result.outcome == "rejected":
        assert dump_tables(db) == before, "a rejected import changed the data"
        assert result.problems and all(str(p).startswith("line ") for p in result.problems)
    return result


@SETTINGS
@given(data=st.binary(min_size=0, max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".parquet"]))
def test_random_bytes_are_rejected_cleanly(empty_db, tmp_path_factory, data, suffix):
    folder = tmp_path_factory.mktemp("bytes")
    path = folder / f"random{suffix}"
    path.write_bytes(data)
    result = _import_is_safe(_fresh(empty_db, folder, "db"), path, "engagements")
    assert result.outcome == "rejected"


@SETTINGS
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=18), min_size=0, max_size=12),
       table=st.sampled_from(["engagements", "agreements"]), delimiter=st.sampled_from([",", ";", "\t"]))
def test_random_tables_never_break_the_import(empty_db, tmp_path_factory, rows, table, delimiter):
    folder = tmp_path_factory.mktemp("tables")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(formats.FORMATS[table].columns)
    writer.writerows(rows)
    path = folder / "table.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    _import_is_safe(_fresh(empty_db, folder, "db"), path, table)


@SETTINGS
@given(header=st.lists(st.text(max_size=12), max_size=30))
def test_random_headers_report_the_missing_columns(empty_db, tmp_path_factory, header):
    folder = tmp_path_factory.mktemp("headers")
    path = folder / "h.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, ["x"] * len(header)])
    result = _import_is_safe(_fresh(empty_db, folder, "db"), path, "engagements")
    if result.outcome == "rejected" and result.problems[0].reason == "missing required column":
        names = {readers.normalise_header(h) for h in header}
        missing = [c for c in formats.ENGAGEMENTS.required if c not in names]
        assert [p.column for p in result.problems] == missing


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
    from atlas.data import export
    import pandas as pd
    csv_text = export.to_csv_bytes(pd.DataFrame({"title": [stored]})).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text


def test_overlong_cells_are_refused_in_every_format(empty_db, tmp_path):
    row = engagement("E1", title="t" * 501)
    for kind in ("csv", "xlsx", "parquet"):
        path = write_rows(tmp_path, kind, [row], name=f"long_{kind}")
        result = ingest.import_file(path, "engagements", empty_db)
        assert result.outcome == "rejected"
        assert str(result.problems[0]) == "line 2, column title: value is too long (501 characters; at most 500)"
