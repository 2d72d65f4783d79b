"""Command line: build, demo, import, restore, snapshots.

    python -m atlas build [--db PATH] [--engagements N] [--agreements M] [--seed S] [--no-demo]
    python -m atlas demo --engagements N --agreements M --seed S --out DIR
    python -m atlas import {engagements|agreements} FILE [--db PATH] [--dry-run] [--skip-invalid]
    python -m atlas restore [SNAPSHOT] [--db PATH]
    python -m atlas snapshots [--db PATH]
    python -m atlas upgrade [--db PATH]

Exit codes: 0 success, 2 invalid input (every problem listed on stderr) or a database that cannot be served
(what is wrong with it and how to fix it on stderr), 1 anything else (an import that could not be written,
with its real cause).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

from atlas import config
from atlas.data import build as builder
from atlas.data import demo, ingest, store
from atlas.data.db import BrokenDatabase, check_file
from atlas.data.formats import FORMATS

EXIT_INVALID = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m atlas", description="Partner Atlas data tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("build", help="build a fresh database: reference data, programmes and demo data")
    p.add_argument("--db", type=Path, default=None, help="database file (default $ATLAS_DB or data/atlas.duckdb)")
    p.add_argument("--engagements", type=int, default=builder.DEFAULT_ENGAGEMENTS)
    p.add_argument("--agreements", type=int, default=builder.DEFAULT_AGREEMENTS)
    p.add_argument("--seed", type=int, default=builder.DEFAULT_SEED)
    p.add_argument("--no-demo", action="store_true", help="reference data only, no generated demo records")

    p = commands.add_parser("demo", help="write demo engagements.csv and agreements.csv in the import format")
    p.add_argument("--engagements", type=int, default=builder.DEFAULT_ENGAGEMENTS)
    p.add_argument("--agreements", type=int, default=builder.DEFAULT_AGREEMENTS)
    p.add_argument("--seed", type=int, default=builder.DEFAULT_SEED)
    p.add_argument("--out", type=Path, required=True)

    p = commands.add_parser("import", help="validate and import a .csv, .xlsx or .parquet file")
    p.add_argument("table", choices=sorted(FORMATS))
    p.add_argument("file", type=Path)
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    p.add_argument(
        "--skip-invalid", action="store_true", help="load the valid rows; write the rejected ones to FILE.rejected.csv"
    )

    p = commands.add_parser("restore", help="bring back a snapshot taken before an import (default: newest)")
    p.add_argument("snapshot", type=Path, nargs="?")
    p.add_argument("--db", type=Path, default=None)

    p = commands.add_parser("upgrade", help="bring a database built by an older version up to date (records kept)")
    p.add_argument("--db", type=Path, default=None)

    p = commands.add_parser("snapshots", help="list the snapshots kept before imports")
    p.add_argument("--db", type=Path, default=None)

    args = parser.parse_args(argv)
    db = (args.db or config.db_path()) if hasattr(args, "db") else None
    try:
        return COMMANDS[args.command](args, db)
    except BrokenDatabase as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except (FileNotFoundError, ingest.ImportFailed) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _build(args, db: Path) -> int:
    started = time.perf_counter()
    results = builder.build(
        db, engagements=args.engagements, agreements=args.agreements, seed=args.seed, with_demo=not args.no_demo
    )
    for result in results:
        print(result.summary())
    print(f"Built {db} in {time.perf_counter() - started:.1f} s")
    return 0


def _demo(args, db) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    demo.write(args.out, args.engagements, args.agreements, args.seed)
    print(f"Wrote demo engagements.csv ({args.engagements:,}) and agreements.csv ({args.agreements:,}) to {args.out}")
    return 0


def _import(args, db: Path) -> int:
    if not db.exists():
        print(f"error: no database at {db}; run `python -m atlas build` (or `--no-demo`) first", file=sys.stderr)
        return 1
    if not args.file.is_file():
        print(f"error: no such file: {args.file}", file=sys.stderr)
        return 1
    result = ingest.import_file(args.file, args.table, db, dry_run=args.dry_run, skip_invalid=args.skip_invalid)
    if result.problems:
        print(ingest.problems_text(result), file=sys.stderr)
    if result.outcome == "rejected" or (args.dry_run and result.problems and not args.skip_invalid):
        print(
            result.summary()
            if result.outcome == "rejected"
            else f"Dry run of {result.file_name}: {len(result.problems)} problem(s) in {result.rejected} row(s).",
            file=sys.stderr,
        )
        return EXIT_INVALID
    print(result.summary())
    return 0


def _restore(args, db: Path) -> int:
    chosen = store.restore(db, args.snapshot)
    print(f"Restored {db} from {chosen}")
    return 0


def _snapshots(args, db: Path) -> int:
    found = store.snapshots(db)
    if not found:
        print(f"No snapshots beside {db}")
    for path in found:
        print(path)
    return 0


def _upgrade(args, db: Path) -> int:
    if not db.exists():
        print(f"error: no database at {db}", file=sys.stderr)
        return 1
    check_file(db)
    try:
        upgraded = builder.upgrade(db)
    except duckdb.Error as exc:
        raise BrokenDatabase(db, f"cannot be read ({str(exc).strip().splitlines()[0]})") from exc
    print(f"Upgraded {db}" if upgraded else f"{db} is up to date")
    return 0


COMMANDS = {
    "upgrade": _upgrade,
    "build": _build,
    "demo": _demo,
    "import": _import,
    "restore": _restore,
    "snapshots": _snapshots,
}

if __name__ == "__main__":
    sys.exit(main())
