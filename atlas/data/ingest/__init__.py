"""Import engagements and agreements: read the file, check every row, load in one transaction.

A file with any invalid row changes no data (unless --skip-invalid): every problem is reported as
`line N, column C: reason`. Valid rows are upserted by id; a row identical to the stored record is
left alone, so importing the same file twice changes nothing. Every import is written to import_log.

The steps, one module each: staging (file -> `stage`), checks (`stage` -> `parsed`, `problems`),
load (-> `incoming`, `diff`, the tables, import_log); result holds what the caller is told.

Every import that writes is also appended to the audit beside the database (atlas.data.audit), a failed one
with its real cause. An importer below the highest level (the Data page's viewer) may create or replace only
records at or below that level; the command line is the trusted path, at the highest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import duckdb

from atlas.config import today as config_today
from atlas.data import audit, schema, store, vocab
from atlas.data.db import BrokenDatabase, attach, connect, run_sql
from atlas.data.formats import FORMATS, FileFormat
from atlas.data.ingest import checks, load, preview, staging
from atlas.data.ingest.result import ImportFailed, ImportResult, Problem, problems_text, rejected_path, write_rejected
from atlas.data.readers import FileProblem

__all__ = ["ImportFailed", "ImportResult", "Problem", "import_file", "import_into", "problems_text", "rejected_path"]

HIGHEST = max(vocab.SENSITIVITY_RANK.values())

IMPORT_MEMORY_LIMIT = "3GB"  # DuckDB memory for an import; working tables spill to disk beyond it


def import_file(
    path: Path | str,
    table: str,
    db: Path | str,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    today: dt.date | None = None,
    who: str | None = None,
    level: int | None = None,
) -> ImportResult:
    """Validate `path` and load it into `table` of the database file `db`.

    `who`: the signed-in importer for the audit (None: the OS user). `level`: the importer's highest
    sensitivity rank (None: the highest, the trusted command line); rows above it are refused.
    """
    path, db = Path(path), Path(db)
    fmt = FORMATS[table]
    today = today or config_today()
    level = HIGHEST if level is None else level
    if dry_run:
        con = connect()
        try:
            if db.exists():
                attach(con, db)  # read-only; a broken file raises BrokenDatabase, which names it and the fix
            return _import(con, path, fmt, apply=False, skip_invalid=skip_invalid, today=today, level=level)
        finally:
            con.close()
    try:
        with store.writing(db) as writer:
            schema.bring_up_to_date(writer.con)  # a file built by an older version gets this one's tables and macros
            result = _import(writer.con, path, fmt, apply=True, skip_invalid=skip_invalid, today=today, level=level)
            writer.snapshot = (result.inserted + result.updated) > 0
    except (OSError, duckdb.Error, BrokenDatabase) as exc:
        failure = (
            exc
            if isinstance(exc, BrokenDatabase)
            else ImportFailed(
                f"The import of {path.name} into {db} failed: {_cause(exc)}. Nothing was changed; "
                "free space (or fix the cause) and import again."
            )
        )
        # A disk too full even for one line of audit: the error raised below still says what happened.
        with contextlib.suppress(OSError):
            audit.record_failure(db, fmt.table, path, failure, who=who, max_rank=None)
        if failure is exc:
            raise
        raise failure from exc
    audit.record_import(db, result, path, who=who, max_rank=None if result.outcome == "rejected" else result.max_rank)
    return result


def _cause(exc: BaseException) -> str:
    """The first cause in the chain that says what went wrong (the OS error behind DuckDB's IO error)."""
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror  # its file name may be the copy's source, not the file that could not be written
    return text.splitlines()[0] if text else type(exc).__name__


def import_into(
    con, path: Path | str, table: str, *, skip_invalid: bool = False, today: dt.date | None = None
) -> ImportResult:
    """Import into an open writable connection (the build uses this to load demo data in one go)."""
    return _import(
        con,
        Path(path),
        FORMATS[table],
        apply=True,
        skip_invalid=skip_invalid,
        today=today or config_today(),
        level=HIGHEST,
    )


def _import(
    con, path: Path, fmt: FileFormat, *, apply: bool, skip_invalid: bool, today: dt.date, level: int
) -> ImportResult:
    result = ImportResult(file_name=path.name, table=fmt.table, dry_run=not apply)
    started = dt.datetime.now()
    # The working tables of a big file are larger than memory should be: beyond this, DuckDB spills them
    # to its temp directory instead of growing (10M rows would otherwise take over 15 GB).
    con.execute(f"SET memory_limit = '{IMPORT_MEMORY_LIMIT}'")
    try:
        staging.stage(con, path, fmt, result)
    except FileProblem as problem:
        columns = problem.missing if isinstance(problem, staging.MissingColumns) else [problem.column]
        result.problems = [Problem(problem.line, column, problem.reason) for column in columns]
        result.outcome = "rejected"
        if apply:
            load.log(con, path, fmt, result, started)
        return result
    checks.resolve_vocabularies(con, fmt)
    checks.check(con, fmt)
    if level < HIGHEST:
        checks.check_level(con, fmt, level)
    result.max_rank = checks.file_rank(con, fmt)
    result.problems = [
        Problem(int(r.line), r.column_name, r.reason)
        for r in run_sql(con, "SELECT line, column_name, reason FROM problems ORDER BY line, seq").itertuples()
    ]
    result.rejected = int(run_sql(con, "SELECT count(DISTINCT line) AS n FROM problems").n[0])
    stats = run_sql(
        con,
        "SELECT count(DISTINCT iso) AS n, count(DISTINCT raw) FILTER (WHERE NOT is_code) AS names "
        "FROM resolved_countries WHERE iso IS NOT NULL",
    )
    result.countries, result.names_resolved = int(stats.n[0]), int(stats.names[0])

    if not apply:
        result.country_mappings = preview.country_mappings(con, fmt)
    if result.problems:
        result.rejected_rows = checks.rejected_rows(con, fmt)
    if result.problems and not skip_invalid:
        result.outcome = "rejected"
        if apply:
            load.log(con, path, fmt, result, started)
        else:  # the valid rows, as they would be stored once the others are fixed
            load.prepare_incoming(con, fmt, 0, today)
            result.preview = preview.stored_rows(con, fmt)
        return result
    if result.problems:
        result.outcome = "partial"
        if apply:
            result.rejected_file = write_rejected(result.rejected_rows, path)
    con.execute("BEGIN TRANSACTION")
    try:
        import_id = load.next_import_id(con) if apply else 0
        load.prepare_incoming(con, fmt, import_id, today)
        con.execute("DROP TABLE parsed")
        load.classify(con, fmt)
        counts = run_sql(con, "SELECT action, count(*) AS n FROM diff GROUP BY action")
        by_action = dict(zip(counts.action, counts.n))
        result.inserted = int(by_action.get("insert", 0))
        result.updated = int(by_action.get("update", 0))
        result.unchanged = int(by_action.get("same", 0))
        if not apply:
            result.outcome = "dry_run"
            result.preview = preview.stored_rows(con, fmt)
            con.execute("ROLLBACK")
            return result
        load.apply(con, fmt, import_id, today)
        load.log(con, path, fmt, result, started, import_id=import_id)
        con.execute("COMMIT")
    except BaseException:
        # A failed write has already ended DuckDB's transaction: the first error is the real one.
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    return result
