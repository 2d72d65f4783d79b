"""The benchmark's steps, each in its own process: build a database, run the pages, the pandas baseline, an
import and the concurrency run. Every run builds the databases it measures (issue 14: databases built once and
reused across code changes made RESULTS.md unreproducible); `--reuse` keeps one only while its fingerprint,
which covers every file the build process imports or reads and the DuckDB version, is unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.harness import ROOT, log, run_child
from benchmarks.numbers import human

if TYPE_CHECKING:  # for annotations only: as before, the steps import duckdb where they use it
    import duckdb

SEED = 2026
IMPORT_SEED = 99
# What shapes a built database: a change to any of these files means a rebuild. atlas/__init__.py and
# atlas/config.py are imported by the build too (the split's globs covered atlas/data only);
# tests/test_benchmark_smoke.py checks that every atlas module a build imports is listed here.
SHAPING_GLOBS = (
    "atlas/__init__.py",
    "atlas/config.py",
    "atlas/data/**/*.py",
    "atlas/data/**/*.sql",
    "data/*.csv",
    "data/reference/*.csv",
    "requirements.txt",
)


def shaping_files() -> list[Path]:
    """Every file whose content shapes a built database, in a fixed order."""
    return sorted({path for pattern in SHAPING_GLOBS for path in ROOT.glob(pattern) if path.is_file()})


def fingerprint(**extra) -> str:
    """A short hash of the shaping files and `extra`: equal fingerprints, equal databases."""
    h = hashlib.sha256()
    for path in shaping_files():
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    import duckdb  # the storage format and physical layout come from DuckDB, not from our files alone

    h.update(json.dumps({**extra, "duckdb": duckdb.__version__}, sort_keys=True).encode())
    return h.hexdigest()[:16]


def build_db(n: int, folder: Path, rebuild: bool = True) -> dict:
    """A database of n demo engagements in `folder` (built afresh unless `rebuild` is False and the one there
    has the same fingerprint), and how its build went."""
    agreements = max(400, n // 2500)
    path = folder / f"atlas-{human(n)}.duckdb"
    meta_path = path.with_suffix(".json")
    fp = fingerprint(engagements=n, agreements=agreements, seed=SEED)
    if not rebuild and path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("fingerprint") == fp:
            meta["reused"] = True
            log(f"{human(n)}: reusing {path.name} (built {meta['built_at']} in {meta['build_s']:.1f} s)")
            return meta
    meta = _build(n, agreements, path)
    meta["fingerprint"] = fp
    meta.update(rollup_rows(path))
    meta_path.write_text(json.dumps(meta))
    return meta


def _row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows of one table named by the catalogue."""
    # Table names come from the catalogue itself, never from input.
    row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    if row is None:
        raise RuntimeError(f"count(*) of {table} returned no row")
    return int(row[0])


def rollup_rows(path: Path) -> dict:
    """Rows of the raw engagements table and of each engagement rollup (issue 14: rollup-to-raw ratio)."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_name = 'engagements' OR table_name LIKE 'engagement%rollup' ORDER BY table_name"
            ).fetchall()
        ]
        counts = {t: _row_count(con, t) for t in tables}
    finally:
        con.close()
    return {"table_rows": counts}


def _build(n: int, agreements: int, path: Path) -> dict:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{path.name}*"):
        old.unlink()
    shutil.rmtree(folder / "backups", ignore_errors=True)
    log(f"{human(n)}: building {path.name} ({n:,} engagements, {agreements:,} agreements)")
    script = (
        f"import time; from pathlib import Path; from atlas.data import build; t = time.perf_counter(); "
        f"build.build(Path({str(path)!r}), engagements={n}, agreements={agreements}, seed={SEED}); "
        f"print(time.perf_counter() - t)"
    )
    out = folder / f".build-{human(n)}.out"
    with out.open("w") as f:
        wall, code, rss = run_child(["-c", script], stdout=f)
    if code != 0:
        raise RuntimeError(f"build of {n} failed (exit {code})")
    build_s = float(out.read_text().strip().splitlines()[-1])
    return {
        "path": str(path),
        "engagements": n,
        "agreements": agreements,
        "build_s": build_s,
        "build_wall_s": wall,
        "build_peak_rss": rss,
        "file_bytes": path.stat().st_size,
        "built_at": dt.datetime.now().isoformat(timespec="seconds"),
        "reused": False,
    }


def bench_pages(db: Path, out: Path, reruns: int, hits: int, widgets: bool = True, skip: int = 0) -> dict:
    """benchmarks.pages on `db`: its figures, plus the peak memory of its process."""
    wall, code, rss = run_child(
        ["-m", "benchmarks.pages", "--db", str(db), "--out", str(out), "--reruns", str(reruns), "--hits", str(hits)]
        + ([] if widgets else ["--no-widgets"])
        + (["--skip", str(skip)] if skip else []),
        log_file=out.with_suffix(".log"),
    )
    if code != 0:
        raise RuntimeError(f"page benchmark on {db.name} failed (exit {code})")
    result = json.loads(out.read_text())
    result["process_peak_rss"] = rss
    return result


def merge_pages(parts: list[dict]) -> dict:
    """The page runs of several processes on one database as one: each page's runs in process order (the first
    process's cold run first), the largest peak memory."""
    pages: dict[str, list[dict]] = {}
    for part in parts:
        for page in part["pages"]:
            pages.setdefault(page["page"], []).extend(page["runs"])
    return {
        "db": parts[0]["db"],
        "pages": [{"page": name, "runs": runs} for name, runs in pages.items()],
        "peak_rss_bytes": max(part["peak_rss_bytes"] for part in parts),
        "process_peak_rss": max(part.get("process_peak_rss", 0) for part in parts),
    }


def bench_baseline(db: Path, calls: Path, out: Path) -> dict:
    """benchmarks.baseline replaying the query calls recorded in `calls`."""
    wall, code, rss = run_child(
        ["-m", "benchmarks.baseline", "--db", str(db), "--calls", str(calls), "--out", str(out)],
        log_file=out.with_suffix(".log"),
    )
    if code != 0:
        raise RuntimeError(f"baseline on {db.name} failed (exit {code})")
    return json.loads(out.read_text())


def bench_import(rows: int, folder: Path) -> dict:
    """`python -m atlas import` of a demo CSV of `rows` engagements into a database without demo data."""
    folder.mkdir(parents=True, exist_ok=True)
    csv, write_s = _import_csv(rows, folder / f"csv-{human(rows)}")
    db = folder / "import-target.duckdb"
    for old in folder.glob("import-target.duckdb*"):
        old.unlink()
    shutil.rmtree(folder / "backups", ignore_errors=True)
    _, code, _ = run_child(["-m", "atlas", "build", "--no-demo", "--db", str(db)])
    if code != 0:
        raise RuntimeError("building the import target failed")
    out = folder / "import.out"
    with out.open("w") as f:
        wall, code, rss = run_child(["-m", "atlas", "import", "engagements", str(csv), "--db", str(db)], stdout=f)
    text = out.read_text()
    return {
        "rows": rows,
        "csv_bytes": csv.stat().st_size,
        "csv_write_s": write_s,
        "import_s": wall,
        "exit": code,
        "peak_rss": rss,
        "output": text.strip(),
    }


def _import_csv(rows: int, csv_dir: Path) -> tuple[Path, float]:
    """The demo engagements CSV to import (written unless a fitting one is there) and its writing time."""
    csv = csv_dir / "engagements.csv"
    fp = fingerprint(csv=rows, seed=IMPORT_SEED)
    meta_path = csv_dir / "meta.json"
    if not (csv.exists() and meta_path.exists() and json.loads(meta_path.read_text()).get("fingerprint") == fp):
        shutil.rmtree(csv_dir, ignore_errors=True)
        csv_dir.mkdir(parents=True)
        script = (
            f"import time; from pathlib import Path; from atlas.data import demo; t = time.perf_counter(); "
            f"demo.write(Path({str(csv_dir)!r}), {rows}, 400, {IMPORT_SEED}); print(time.perf_counter() - t)"
        )
        out = csv_dir / "write.out"
        with out.open("w") as f:
            run_child(["-c", script], stdout=f)
        meta_path.write_text(json.dumps({"fingerprint": fp, "write_s": float(out.read_text().split()[-1])}))
    return csv, json.loads(meta_path.read_text())["write_s"]


def bench_concurrency(db: Path, out: Path, sessions: int, changes: int) -> dict:
    """benchmarks.concurrency on `db`; a summary saying it failed when it did."""
    wall, code, rss = run_child(
        [
            "-m",
            "benchmarks.concurrency",
            "--db",
            str(db),
            "--out",
            str(out),
            "--sessions",
            str(sessions),
            "--changes",
            str(changes),
        ],
        timeout=1800,
    )
    if code != 0 or not out.exists():
        return {"summary": {"errors": None, "failed": f"exit {code}"}}
    return json.loads(out.read_text())
