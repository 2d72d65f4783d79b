"""Helpers shared by the tests: valid rows, import files on disk, table dumps, the CLI.

Plain functions, imported by name (`from support import engagement, write_csv`): tests/ is on sys.path
(pyproject's pythonpath), and this module's name is unambiguous, unlike conftest.py's.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 6, 30)  # pinned "today" for every import (ATLAS_TODAY for the CLI)
DATA_TABLES = ("engagements", "agreements", "agreement_parties", "agreement_status_history")


# --- rows ---------------------------------------------------------------------------------------


def engagement(engagement_id: str = "E1", /, **values: str) -> dict[str, str]:
    """A valid engagement row in the import format; keyword arguments override single fields."""
    row = {
        "engagement_id": engagement_id,
        "title": f"Engagement {engagement_id}",
        "start_date": "2024-03-05",
        "end_date": "2024-03-07",
        "country": "FRA",
        "city": "Paris",
        "latitude": "48.8566",
        "longitude": "2.3522",
        "mission_area": "visa",
        "engagement_type": "meeting",
        "component": "CBP",
        "status": "completed",
        "participants": "12",
        "summary": "Routine exchange",
    }
    row.update(values)
    return row


def agreement(agreement_id: str = "A1", /, **values: str) -> dict[str, str]:
    """A valid agreement row in the import format; keyword arguments override single fields."""
    row = {
        "agreement_id": agreement_id,
        "title": f"Agreement {agreement_id}",
        "agreement_type": "mou",
        "countries": "FRA",
        "mission_area": "visa",
        "status": "in_force",
        "date_signed": "2020-01-15",
        "date_in_force": "2020-03-01",
        "date_expires": "2030-03-01",
        "component": "CBP",
        "summary": "Information sharing",
    }
    row.update(values)
    return row


# --- files ---------------------------------------------------------------------------------------


def _header(rows: list[dict], header: list[str] | None) -> list[str]:
    if header is not None:
        return list(header)
    names: list[str] = []
    for row in rows:
        names += [k for k in row if k not in names]
    return names


def write_csv(
    path: Path,
    rows: list[dict],
    *,
    header: list[str] | None = None,
    delimiter: str = ",",
    newline: str = "\n",
    bom: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """Rows as CSV text; values are written exactly (the csv module quotes only what needs it)."""
    names = _header(rows, header)
    path = Path(path)
    with path.open("w", encoding="utf-8-sig" if bom else encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator=newline)
        writer.writerow(names)
        for row in rows:
            writer.writerow([row.get(n, "") for n in names])
    return path


def write_xlsx(
    path: Path, rows: list[dict], *, header: list[str] | None = None, extra_sheets: dict[str, list[list]] | None = None
) -> Path:
    """Rows on the first sheet of a workbook; values keep their Python type (str, int, float, date)."""
    from openpyxl import Workbook

    names = _header(rows, header)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append(names)
    for row in rows:
        sheet.append([row.get(n) for n in names])
    for title, sheet_rows in (extra_sheets or {}).items():
        other = workbook.create_sheet(title)
        for values in sheet_rows:
            other.append(values)
    path = Path(path)
    workbook.save(path)
    return path


def write_parquet(path: Path, rows: list[dict], *, header: list[str] | None = None) -> Path:
    """Rows as a Parquet file; each column's type is what pyarrow infers from the Python values."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = _header(rows, header)
    table = pa.table({n: [row.get(n) for row in rows] for n in names})
    path = Path(path)
    pq.write_table(table, path)
    return path


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "parquet": write_parquet}


def write_rows(folder: Path, kind: str, rows: list[dict], *, name: str = "import", **options) -> Path:
    """`rows` written to folder/name.<kind> with the writer for that kind."""
    return WRITERS[kind](Path(folder) / f"{name}.{kind}", rows, **options)


# --- the database ------------------------------------------------------------------------------------


def _connect(db: Path) -> duckdb.DuckDBPyConnection:
    # A private in-memory instance with the file attached read-only: never a cached instance of the path.
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS db (READ_ONLY)", [str(db)])
    con.execute("USE db")
    return con


def dump_tables(db: Path, tables: tuple[str, ...] = DATA_TABLES, *, drop: tuple[str, ...] = ()) -> dict[str, list]:
    """Every row of each data table, sorted, for exact before/after comparison; `drop` leaves columns out."""
    con = _connect(Path(db))
    try:
        out = {}
        for table in tables:
            columns = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE database_name = 'db' AND table_name = ? "
                    "ORDER BY column_index",
                    [table],
                ).fetchall()
            ]
            keep = [c for c in columns if c not in drop]
            out[table] = con.execute(f"SELECT {', '.join(keep)} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = _connect(Path(db))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def import_log(db: Path) -> list[dict]:
    """The import_log rows, oldest first, as dicts."""
    con = _connect(Path(db))
    try:
        cur = con.execute("SELECT * FROM import_log ORDER BY import_id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]
    finally:
        con.close()


def snapshot_files(db: Path) -> list[Path]:
    folder = Path(db).resolve().parent / "backups"
    return sorted(folder.glob(f"{Path(db).stem}-*.duckdb"), reverse=True)


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (recursively) with its bytes: nothing may appear, vanish or change."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}


# --- the command line ------------------------------------------------------------------------------


def run_cli(*args: object, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m atlas ARGS` in the repository root, as a user runs it."""
    environment = {k: v for k, v in os.environ.items() if k not in ("ATLAS_DB", "ATLAS_TODAY")}
    environment["ATLAS_TODAY"] = TODAY.isoformat()
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "atlas", *map(str, args)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- several replicas behind nginx (tools/serve.py) -------------------------------------------------


def serve_tool():
    """tools/serve.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("atlas_serve", ROOT / "tools" / "serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def serve_cluster(folder: Path, replicas: int = 2):
    """A small demo database served by `replicas` Streamlit processes behind a real nginx; all stopped after."""
    from atlas.data import build

    db = folder / "atlas.duckdb"
    build.build(db, engagements=2000, agreements=100, seed=7)
    running = serve_tool().start(replicas, db=db, work=folder / "work", env={"ATLAS_TODAY": "2026-11-30"})
    try:
        yield running
    finally:
        running.stop()
    assert all(p.poll() is not None for p in running.processes)
