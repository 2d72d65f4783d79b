"""The Partner Atlas benchmark (issue 5): `make bench`, or

    python -m benchmarks.run [--sizes 10000,100000,1000000] [--with-10m] [--smoke] [--out benchmarks/RESULTS.md]

For each size it builds a database with the demo generator (atlas.data.build.build) in benchmarks/work/: a
fresh build on every run, so the figures always come from databases the code being measured built (with
--reuse, a database is kept while its fingerprint, every file the build imports or reads and the DuckDB
version, is unchanged). Then in separate processes:
- benchmarks.pages: every page under AppTest: cold run, reruns after real filter changes (cache misses),
  reruns that hit the cache; wall time, query time, bytes sent, peak memory;
- benchmarks.baseline: the same query calls answered by plain pandas over whole-table DataFrames.
Then the import of a CSV of 1M engagements through `python -m atlas import` (full validation), and
benchmarks.concurrency: 20 sessions at once against the real server. Writes RESULTS.md (and the raw
figures as JSON beside the work files).

--smoke runs everything at tiny sizes with 2 reruns, so that `make test` keeps the harness working.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.figures import page_figures, query_figures
from benchmarks.harness import ROOT, WORK, load, log, machine
from benchmarks.numbers import human
from benchmarks.report import write_report
from benchmarks.steps import bench_baseline, bench_concurrency, bench_import, bench_pages, build_db, merge_pages
from benchmarks.targets import evaluate


@dataclass(frozen=True)
class Plan:
    """What one run measures: sizes, repetitions, where it works and where the report goes."""

    sizes: list[int]
    reruns: int
    hits: int
    sessions: int
    changes: int
    import_rows: int
    work: Path
    out: Path
    smoke: bool = False


def parse_args(argv=None) -> argparse.Namespace:
    """The command line of `python -m benchmarks.run`."""
    parser = argparse.ArgumentParser(description="Partner Atlas benchmark; writes RESULTS.md")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="engagement counts, comma-separated")
    parser.add_argument(
        "--with-10m",
        action="store_true",
        help="add 10,000,000 engagements: the build takes about 3 min (4 GB memory), the pages "
        "and the pandas baseline about 8 min more (the baseline needs about 15 GB memory)",
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, 2 reruns: checks the harness works")
    parser.add_argument(
        "--out", type=Path, default=None, help="default benchmarks/RESULTS.md (smoke: benchmarks/work/smoke/RESULTS.md)"
    )
    parser.add_argument("--reruns", type=int, default=None, help="cache-miss reruns per page (default 20)")
    parser.add_argument("--hits", type=int, default=None, help="cached reruns per page (default 5)")
    parser.add_argument("--sessions", type=int, default=None, help="concurrent sessions (default 20)")
    parser.add_argument("--changes", type=int, default=None, help="filter changes per session (default 10)")
    parser.add_argument("--import-rows", type=int, default=None, help="rows of the import CSV (default 1,000,000)")
    parser.add_argument(
        "--concurrency-size",
        type=int,
        default=None,
        help="database size for the concurrency run (default 1M if measured, else the largest)",
    )
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=None,
        help="run the pandas baseline only on sizes up to this many engagements (at 10M it needs more memory than a "
        "24 GB machine has); the pages of larger sizes are still measured, and the report says the baseline was not",
    )
    parser.add_argument("--skip-concurrency", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database built by an earlier run when its fingerprint (build code, data files, DuckDB) matches",
    )
    parser.add_argument("--rebuild", action="store_true", help="build afresh (the default; kept for old commands)")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the report from the figures of the last run (WORK/results.json)",
    )
    parser.add_argument(
        "--work", type=Path, default=None, help="work folder (default benchmarks/work, smoke: benchmarks/work/smoke)"
    )
    return parser.parse_args(argv)


def plan(args: argparse.Namespace) -> Plan:
    """The run the options ask for: smoke sizes or the real ones, each default overridable."""
    if args.smoke:
        sizes = [2000, 5000]
        reruns, hits, sessions, changes, import_rows = 2, 1, 3, 2, 5000
        work = WORK / "smoke"
        out = args.out or work / "RESULTS.md"
    else:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        if args.with_10m and 10_000_000 not in sizes:
            sizes.append(10_000_000)
        reruns, hits, sessions, changes, import_rows = 20, 5, 20, 10, 1_000_000
        work = WORK
        out = args.out or ROOT / "benchmarks" / "RESULTS.md"
    return Plan(
        sizes=sorted(sizes),
        reruns=args.reruns or reruns,
        hits=args.hits if args.hits is not None else hits,
        sessions=args.sessions or sessions,
        changes=args.changes or changes,
        import_rows=args.import_rows or import_rows,
        work=args.work or work,
        out=out,
        smoke=args.smoke,
    )


# The sizes' page runs alternate (1M, 10M, 1M, 10M), half the reruns each: a machine whose speed drifts during
# the run (a shared host's does, by 1.5x within minutes) then moves every size alike, not one.
ROUNDS = 2


def measure_sizes(p: Plan, rebuild: bool, baseline_max: int | None = None) -> list[dict]:
    """Build (or with --reuse keep) the database of every size, run every page on each in alternating rounds,
    then the pandas baseline on each."""
    builds = {n: build_db(n, p.work / "db", rebuild) for n in p.sizes}
    rounds = ROUNDS  # smoke too (one rerun each), so `make test` runs the merge
    per_round, hits = max(1, p.reruns // rounds), max(1, -(-p.hits // rounds))
    parts: dict[int, list[dict]] = {n: [] for n in p.sizes}
    for r in range(rounds):
        for n in p.sizes:
            log(f"{human(n)}: pages (round {r + 1} of {rounds})")
            # Smoke: the widget path on the smallest size only, to keep `make test` quick.
            widgets = not p.smoke or n == p.sizes[0]
            out = p.work / f"pages-{human(n)}-{r + 1}.json"
            parts[n].append(bench_pages(Path(builds[n]["path"]), out, per_round, hits, widgets, skip=r * per_round))
    return [measure_size(n, builds[n], merge_pages(parts[n]), p, baseline_max) for n in p.sizes]


def measure_size(n: int, build: dict, pages: dict, p: Plan, baseline_max: int | None = None) -> dict:
    """One size's figures from its page runs, with the pandas baseline replaying their calls."""
    db = Path(build["path"])
    calls = p.work / f"pages-{human(n)}.json"
    calls.write_text(json.dumps(pages))
    if baseline_max is not None and n > baseline_max:
        log(f"{human(n)}: no pandas baseline (--baseline-max {baseline_max:,})")
        baseline = skipped_baseline(f"not run at this size (--baseline-max {baseline_max:,}: it needs more memory)")
    else:
        log(f"{human(n)}: pandas baseline")
        baseline = bench_baseline(db, calls, p.work / f"baseline-{human(n)}.json")
    return {
        "engagements": n,
        "build": build,
        "figures": page_figures(pages, baseline),
        "queries": query_figures(pages),
        "pages_peak_rss": pages["peak_rss_bytes"],
        "baseline": {k: v for k, v in baseline.items() if k != "pages"},
    }


def skipped_baseline(why: str) -> dict:
    """What a size without the pandas baseline reports: no pages, no load time, and why."""
    return {"pages": [], "skipped": why, "load_s": float("nan"), "peak_rss_bytes": 0, "agreed": 0, "checked": 0}


def measure_concurrency(p: Plan, size: int | None) -> dict:
    """The concurrency run on the 1M database if measured (else the largest, or `size`)."""
    target = size or (1_000_000 if 1_000_000 in p.sizes else p.sizes[-1])
    db = p.work / "db" / f"atlas-{human(target)}.duckdb"
    if not db.exists():
        build_db(target, p.work / "db", False)
    log(f"concurrency: {p.sessions} sessions x {p.changes} changes on {human(target)}")
    result = bench_concurrency(db, p.work / "concurrency.json", p.sessions, p.changes)
    result["engagements"] = target
    result.pop("sessions", None)
    return result


def code_version() -> dict:
    """The commit measured and whether the checkout had uncommitted changes."""

    def git(*args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return proc.stdout.strip() if proc.returncode == 0 else ""

    return {
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def main(argv=None) -> int:
    """Run the benchmark the command line asks for and write the report."""
    args = parse_args(argv)
    p = plan(args)
    if args.report_only:
        data = json.loads((p.work / "results.json").read_text())
        data["targets"], data["reading"] = evaluate(data)
        write_report(p.out, data)
        log(f"rewrote {p.out} from {p.work / 'results.json'}")
        return 0
    p.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    data = {
        "smoke": args.smoke,
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "command": "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "load_start": load(),
        "sizes": [],
    }
    log(f"sizes {p.sizes}, {p.reruns} reruns per page; work in {p.work}")
    data["code"] = code_version()
    data["sizes"] = measure_sizes(p, not args.reuse, args.baseline_max)
    if not args.skip_import:
        log(f"import of {p.import_rows:,} rows")
        data["import"] = bench_import(p.import_rows, p.work / "import")
    if not args.skip_concurrency:
        data["concurrency"] = measure_concurrency(p, args.concurrency_size)
    data["load_end"] = load()
    data["elapsed_s"] = time.perf_counter() - started
    data["targets"], data["reading"] = evaluate(data)
    (p.work / "results.json").write_text(json.dumps(data, default=str, indent=1))
    write_report(p.out, data)
    log(f"wrote {p.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
